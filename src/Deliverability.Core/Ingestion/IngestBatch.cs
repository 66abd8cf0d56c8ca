using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

public enum IngestSource { Upload, Paste, Api, Cli, Mailbox }

public enum IngestStatus { Pending, Running, Completed, Failed }

/// <summary>One upload (from the page, the API or the CLI): its files, and what the ingest job made of them.</summary>
public sealed class IngestBatch
{
    public long Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public IngestSource Source { get; set; }
    public IngestStatus Status { get; set; }

    /// <summary>The IP the user chose for bounces that name none and match no attribution rule.</summary>
    public long? DefaultSendingIpId { get; set; }
    public SendingIp? DefaultSendingIp { get; set; }

    /// <summary>Set once every file is stored and the job is queued; a batch still receiving files is not resumed.</summary>
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int FileCount { get; set; }
    public long TotalBytes { get; set; }
    public long ProcessedBytes { get; set; }

    /// <summary>Messages read (bounces, reports, duplicates, errors: everything).</summary>
    public int MessageCount { get; set; }
    public int ParsedCount { get; set; }
    public int DuplicateCount { get; set; }
    public int NotBounceCount { get; set; }
    public int ErrorCount { get; set; }
    public int BounceCount { get; set; }
    public int ComplaintCount { get; set; }
    public int LogEntryCount { get; set; }
    public int SndsRowCount { get; set; }

    /// <summary>DMARC aggregate and SMTP TLS reports this batch stored (a report already stored counts as a duplicate).</summary>
    public int ReportCount { get; set; }

    /// <summary>Why the batch stopped (Failed): shown on the batch page and in the API.</summary>
    public string? Failure { get; set; }

    /// <summary>The run that reads the batch now (see <see cref="IngestBatchClaim"/>), or the resumption sweep's mark.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When the claim runs out unless its run renews it (database clock).</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public List<IngestFile> Files { get; set; } = [];
}

public sealed class IngestBatchConfiguration : IEntityTypeConfiguration<IngestBatch>
{
    public void Configure(EntityTypeBuilder<IngestBatch> builder)
    {
        builder.ToTable("ingest_batches");
        builder.Property(x => x.CreatedBy).HasMaxLength(320);
        builder.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.ClaimedBy).HasMaxLength(200);
        builder.HasIndex(x => x.CreatedAt);
        builder.HasIndex(x => x.Status);
        builder.HasOne(x => x.DefaultSendingIp).WithMany().HasForeignKey(x => x.DefaultSendingIpId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(x => x.Files).WithOne().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}
