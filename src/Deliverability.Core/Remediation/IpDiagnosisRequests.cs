using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Asks for IPs to be diagnosed after their evidence changed. In the web app that enqueues an <see cref="IpDiagnosisJob"/> per
/// IP (Hangfire's client is registered there). The CLI has no job storage, so there the diagnosis runs at once, each IP in its
/// own scope, and `deliverability ingest` or `check` leave the status rows current too.
/// </summary>
public sealed class IpDiagnosisRequests(IServiceProvider services)
{
    /// <summary>The IPs' bounces changed: their hourly counts are rebuilt before the diagnosis.</summary>
    public Task RequestAsync(IEnumerable<long> sendingIpIds, CancellationToken ct) => RequestAsync(sendingIpIds, rebuildBounceHours: true, ct);

    /// <summary>Only checks, cases, ticks or the time moved: the diagnosis reads the hourly counts as they are.</summary>
    public Task RefreshAsync(IEnumerable<long> sendingIpIds, CancellationToken ct) => RequestAsync(sendingIpIds, rebuildBounceHours: false, ct);

    private async Task RequestAsync(IEnumerable<long> sendingIpIds, bool rebuildBounceHours, CancellationToken ct)
    {
        var ids = sendingIpIds.Distinct().Order().ToList();
        if (services.GetService<IBackgroundJobClient>() is { } jobs)
        {
            foreach (var id in ids)
            {
                if (rebuildBounceHours) jobs.Enqueue<IpDiagnosisJob>(JobQueues.Default, j => j.RunAsync(id, CancellationToken.None));
                else jobs.Enqueue<IpDiagnosisJob>(JobQueues.Default, j => j.RefreshAsync(id, CancellationToken.None));
            }

            return;
        }

        foreach (var id in ids)
        {
            await using var scope = services.CreateAsyncScope();
            var job = scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>();
            await (rebuildBounceHours ? job.RunAsync(id, ct) : job.RefreshAsync(id, ct));
        }
    }
}
