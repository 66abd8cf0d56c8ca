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
}
