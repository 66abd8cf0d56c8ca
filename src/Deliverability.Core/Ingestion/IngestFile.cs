using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

public enum IngestFileKind { Unknown, Message, Mbox, Zip, Gzip, MtaLog, SndsData, SndsIpStatus, DmarcReport, TlsReport }

/// <summary>
/// One uploaded file. Its bytes are stored (in <see cref="IngestFileContent"/>) before the job is queued,
/// so a crash never loses an upload; <see cref="ProcessedMessages"/> is where a restarted job resumes.
/// </summary>
public sealed class IngestFile
{
    public long Id { get; set; }
    public long BatchId { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }
    public long Size { get; set; }
    public required byte[] Sha256 { get; set; }
    public IngestFileKind Kind { get; set; }
    public IngestStatus Status { get; set; }
    public int MessageCount { get; set; }
    public int ProcessedMessages { get; set; }
    public int ErrorCount { get; set; }

    /// <summary>Log entries of this file that an earlier upload had already stored (a grown copy of a log brings only its new lines).</summary>
    public int RepeatedEntryCount { get; set; }

    public string? Error { get; set; }
}

/// <summary>The stored bytes of an uploaded file, gzip-compressed; kept apart so listing files never loads them.</summary>
public sealed class IngestFileContent
{
    public long FileId { get; set; }
    public required byte[] Gzip { get; set; }
}

/// <summary>Why one message (or a whole file) could not be read.</summary>
public sealed class IngestError
{
    public long Id { get; set; }
    public long BatchId { get; set; }
    public long FileId { get; set; }
    public int? MessageIndex { get; set; }
    public required string Message { get; set; }
}

public sealed class IngestFileConfiguration : IEntityTypeConfiguration<IngestFile>
{
    public void Configure(EntityTypeBuilder<IngestFile> builder)
    {
        builder.ToTable("ingest_files");
        builder.Property(x => x.Name).HasMaxLength(1024);
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(x => new { x.BatchId, x.Position }).IsUnique();
        builder.HasIndex(x => x.Sha256);
    }
}

public sealed class IngestFileContentConfiguration : IEntityTypeConfiguration<IngestFileContent>
{
    public void Configure(EntityTypeBuilder<IngestFileContent> builder)
    {
        builder.ToTable("ingest_file_contents");
        builder.HasKey(x => x.FileId);
        builder.HasOne<IngestFile>().WithOne().HasForeignKey<IngestFileContent>(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class IngestErrorConfiguration : IEntityTypeConfiguration<IngestError>
{
    public void Configure(EntityTypeBuilder<IngestError> builder)
    {
        builder.ToTable("ingest_errors");
        builder.Property(x => x.Message).HasMaxLength(2000);
        builder.HasIndex(x => new { x.BatchId, x.FileId, x.MessageIndex }).IsUnique();
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<IngestBatch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}
