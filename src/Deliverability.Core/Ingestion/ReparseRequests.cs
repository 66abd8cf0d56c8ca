using Deliverability.Core.Jobs;
using Hangfire;

namespace Deliverability.Core.Ingestion;

/// <summary>An Admin asks for every stored message, log and SNDS export to be read again with the current parser and rules (Settings → Maintenance).</summary>
public sealed class ReparseRequests(IBackgroundJobClient jobs)
{
    /// <summary>Queues one <see cref="ReparseJob"/> on the ingest queue and returns the Hangfire job id.</summary>
    public string Request() => jobs.Enqueue<ReparseJob>(JobQueues.Ingest, j => j.RunAsync(CancellationToken.None));
}
