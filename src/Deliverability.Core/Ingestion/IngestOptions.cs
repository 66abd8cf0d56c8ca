using System.ComponentModel.DataAnnotations;

namespace Deliverability.Core.Ingestion;

/// <summary>Limits on what an upload may hold (section "Ingest"). Every limit refuses with a message that names it.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest single uploaded file, as uploaded (compressed or not).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Largest total a zip or gzip file may expand to.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxExpandedBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Largest expansion ratio of one archive entry; zip bombs go far beyond it.</summary>
    [Range(2, 100_000)]
    public int MaxCompressionRatio { get; set; } = 200;

    [Range(1, 10_000_000)]
    public int MaxArchiveEntries { get; set; } = 200_000;

    /// <summary>Messages written per transaction: the job resumes from the last committed chunk.</summary>
    [Range(1, 100_000)]
    public int ChunkSize { get; set; } = 1000;

    /// <summary>
    /// How long a run's claim on a batch lasts without a heartbeat (renewed every third of it). A run killed mid-batch is
    /// taken over by another worker this long after its last heartbeat.
    /// </summary>
    [Range(1, 3600)]
    public int ClaimSeconds { get; set; } = 10;

    /// <summary>How often each job server looks for batches to resume (a dead run's batch, a lost job, an abandoned upload).</summary>
    [Range(1, 3600)]
    public int ResumeSweepSeconds { get; set; } = 5;

    /// <summary>
    /// A submitted batch no run has claimed after this long is queued again (its job was lost: the app died between storing the
    /// files and queueing the job, or the job was deleted). A run that finds the batch claimed or finished does nothing.
    /// </summary>
    [Range(1, 100_000)]
    public int UnclaimedBatchMinutes { get; set; } = 2;

    /// <summary>An upload still receiving files after this long was cut off (the browser, the client or the app went away).</summary>
    [Range(1, 100_000)]
    public int AbandonedUploadMinutes { get; set; } = 120;
}
