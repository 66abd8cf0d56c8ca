using System.Net;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Reports;

/// <summary>One DMARC aggregate report, stored once: a receiver's (org name, report id) is its natural key.</summary>
public sealed class DmarcReport
{
    public long Id { get; set; }

    /// <summary>The upload it came in (the file itself, or the mail it was attached to); null once that upload is gone.</summary>
    public long? FileId { get; set; }

    public required string OrgName { get; set; }
    public required string ReportId { get; set; }
    public string? Email { get; set; }
    public DateTimeOffset Begin { get; set; }
    public DateTimeOffset End { get; set; }
    public string? PolicyDomain { get; set; }
    public string? PolicyP { get; set; }
    public string? PolicySp { get; set; }
    public int? PolicyPct { get; set; }
    public string? Adkim { get; set; }
    public string? Aspf { get; set; }
    public int RecordCount { get; set; }
    public long MessageCount { get; set; }

    /// <summary>Records left out because they had no readable source IP or count (each listed as an ingest error).</summary>
    public int SkippedRecordCount { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>
/// One record of a report: <see cref="Count"/> messages from <see cref="SourceIp"/> with one outcome. <see cref="Day"/> is the UTC day the
/// report's period begins. <see cref="SendingIpId"/> is set when the source IP was tracked at ingest; pages read by address.
/// </summary>
public sealed class DmarcReportRecord
{
    public long DmarcReportId { get; set; }
    public int Ordinal { get; set; }
    public required IPAddress SourceIp { get; set; }
    public long? SendingIpId { get; set; }
    public DateOnly Day { get; set; }
    public int Count { get; set; }
    public string? Disposition { get; set; }

    /// <summary>Policy-evaluated (aligned) DKIM and SPF: pass, fail, or null when the reporter left them out.</summary>
    public string? Dkim { get; set; }

    public string? Spf { get; set; }
    public bool DmarcPass { get; set; }
    public string? Reasons { get; set; }
    public string? HeaderFrom { get; set; }
    public string? EnvelopeFrom { get; set; }
    public string? EnvelopeTo { get; set; }
}

/// <summary>A DKIM signature of a record as the receiver evaluated it (auth_results, not aligned).</summary>
public sealed class DmarcReportDkim
{
    public long DmarcReportId { get; set; }
    public int RecordOrdinal { get; set; }
    public int Ordinal { get; set; }
    public string? Domain { get; set; }
    public string? Selector { get; set; }
    public string? Result { get; set; }
}

/// <summary>An SPF identity of a record as the receiver evaluated it (auth_results, not aligned).</summary>
public sealed class DmarcReportSpf
{
    public long DmarcReportId { get; set; }
    public int RecordOrdinal { get; set; }
    public int Ordinal { get; set; }
    public string? Domain { get; set; }
    public string? Scope { get; set; }
    public string? Result { get; set; }
}

public sealed class DmarcReportConfiguration : IEntityTypeConfiguration<DmarcReport>
{
    public void Configure(EntityTypeBuilder<DmarcReport> builder)
    {
        builder.ToTable("dmarc_reports");
        builder.Property(x => x.OrgName).HasMaxLength(255);
        builder.Property(x => x.ReportId).HasMaxLength(255);
        builder.Property(x => x.Email).HasMaxLength(320);
        builder.Property(x => x.PolicyDomain).HasMaxLength(255);
        builder.Property(x => x.PolicyP).HasMaxLength(16);
        builder.Property(x => x.PolicySp).HasMaxLength(16);
        builder.Property(x => x.Adkim).HasMaxLength(8);
        builder.Property(x => x.Aspf).HasMaxLength(8);
        builder.HasIndex(x => new { x.OrgName, x.ReportId }).IsUnique();
        builder.HasIndex(x => x.Begin);
        builder.HasIndex(x => x.FileId);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.SetNull);
    }
}

/// <remarks>
/// Records and their DKIM and SPF results have no foreign key to their report or record: a key is checked row by row, which costs
/// more than storing a report of 300,000 records (900,000 results) itself. They are written only by <see cref="ReportStore"/>, in the
/// transaction that inserts their report, and deleted with it by the trigger of migration DmarcBulkTablesWithoutRowChecks.
/// </remarks>
public sealed class DmarcReportRecordConfiguration : IEntityTypeConfiguration<DmarcReportRecord>
{
    public void Configure(EntityTypeBuilder<DmarcReportRecord> builder)
    {
        builder.ToTable("dmarc_records");
        builder.HasKey(x => new { x.DmarcReportId, x.Ordinal });
        builder.Property(x => x.SourceIp).HasColumnType("inet");
        builder.Property(x => x.Disposition).HasMaxLength(16);
        builder.Property(x => x.Dkim).HasMaxLength(16);
        builder.Property(x => x.Spf).HasMaxLength(16);
        builder.Property(x => x.Reasons).HasMaxLength(1000);
        builder.Property(x => x.HeaderFrom).HasMaxLength(255);
        builder.Property(x => x.EnvelopeFrom).HasMaxLength(255);
        builder.Property(x => x.EnvelopeTo).HasMaxLength(255);
        builder.HasIndex(x => new { x.SourceIp, x.Day });
        builder.HasIndex(x => new { x.SendingIpId, x.Day });
        builder.HasIndex(x => new { x.HeaderFrom, x.Day });
        builder.HasOne<SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class DmarcReportDkimConfiguration : IEntityTypeConfiguration<DmarcReportDkim>
{
    public void Configure(EntityTypeBuilder<DmarcReportDkim> builder)
    {
        builder.ToTable("dmarc_dkim_results");
        builder.HasKey(x => new { x.DmarcReportId, x.RecordOrdinal, x.Ordinal });
        builder.Property(x => x.Domain).HasMaxLength(255);
        builder.Property(x => x.Selector).HasMaxLength(255);
        builder.Property(x => x.Result).HasMaxLength(16);
    }
}

public sealed class DmarcReportSpfConfiguration : IEntityTypeConfiguration<DmarcReportSpf>
{
    public void Configure(EntityTypeBuilder<DmarcReportSpf> builder)
    {
        builder.ToTable("dmarc_spf_results");
        builder.HasKey(x => new { x.DmarcReportId, x.RecordOrdinal, x.Ordinal });
        builder.Property(x => x.Domain).HasMaxLength(255);
        builder.Property(x => x.Scope).HasMaxLength(16);
        builder.Property(x => x.Result).HasMaxLength(16);
    }
}
