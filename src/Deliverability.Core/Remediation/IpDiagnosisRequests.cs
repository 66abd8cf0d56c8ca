using Deliverability.Core.Jobs;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Asks for IPs to be diagnosed after their evidence changed: an <see cref="IpDiagnosisJob"/> per IP through the scheduler
/// (Hangfire in the web app; at once in the CLI, so `deliverability ingest` or `check` leave the status rows current too).
/// </summary>
public sealed class IpDiagnosisRequests(IJobScheduler jobs)
{
    /// <summary>The IPs' bounces changed: their hourly counts are rebuilt before the diagnosis.</summary>
    public async Task RequestAsync(IEnumerable<long> sendingIpIds, CancellationToken ct)
    {
        foreach (var id in sendingIpIds.Distinct().Order())
        {
            await jobs.EnqueueAsync<IpDiagnosisJob>(j => j.RunAsync(id, CancellationToken.None), ct);
        }
    }

    /// <summary>Only checks, cases, ticks or the time moved: the diagnosis reads the hourly counts as they are.</summary>
    public async Task RefreshAsync(IEnumerable<long> sendingIpIds, CancellationToken ct)
    {
        foreach (var id in sendingIpIds.Distinct().Order())
        {
            await jobs.EnqueueAsync<IpDiagnosisJob>(j => j.RefreshAsync(id, CancellationToken.None), ct);
        }
    }
}
