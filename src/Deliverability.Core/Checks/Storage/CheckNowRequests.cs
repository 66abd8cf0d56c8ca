using Deliverability.Core.Jobs;
using Hangfire;

namespace Deliverability.Core.Checks.Storage;

/// <summary>
/// A person asks for an IP's checks now (IP page, IP list, check settings, the API): one <see cref="CheckIpJob.RunNowAsync"/>
/// on the <see cref="JobQueues.ChecksNow"/> queue, which the check workers serve before any scheduled check.
/// </summary>
public sealed class CheckNowRequests(IBackgroundJobClient jobs)
{
    /// <summary>Queues the check and returns the Hangfire job id.</summary>
    public string Request(long sendingIpId) =>
        jobs.Enqueue<CheckIpJob>(JobQueues.ChecksNow, j => j.RunNowAsync(sendingIpId, CancellationToken.None));
}
