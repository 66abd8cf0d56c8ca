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
    public async Task RequestAsync(IEnumerable<long> sendingIpIds, CancellationToken ct)
    {
        var ids = sendingIpIds.Distinct().Order().ToList();
        if (services.GetService<IBackgroundJobClient>() is { } jobs)
        {
            foreach (var id in ids)
            {
                jobs.Enqueue<IpDiagnosisJob>("default", j => j.RunAsync(id, CancellationToken.None));
            }

            return;
        }

        foreach (var id in ids)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().RunAsync(id, ct);
        }
    }
}
