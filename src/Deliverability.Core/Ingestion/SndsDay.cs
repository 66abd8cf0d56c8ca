using System.Net;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>What Outlook.com's SNDS reported for one IP on one day (the newest upload of that day wins).</summary>
public sealed class SndsDay
{
    public long Id { get; set; }
    public required IPAddress Ip { get; set; }
    public DateOnly Day { get; set; }
    public long? SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public long FileId { get; set; }
    public DateTimeOffset ActivityStart { get; set; }
    public DateTimeOffset ActivityEnd { get; set; }
    public int RcptCommands { get; set; }
    public int DataCommands { get; set; }
    public int MessageRecipients { get; set; }
    public required string FilterResult { get; set; }
    public decimal? ComplaintRate { get; set; }
    public bool ComplaintRateIsUpperBound { get; set; }
    public DateTimeOffset? TrapPeriodStart { get; set; }
    public DateTimeOffset? TrapPeriodEnd { get; set; }
    public int TrapHits { get; set; }
    public string? SampleHelo { get; set; }
    public string? SampleMailFrom { get; set; }
    public string? Comments { get; set; }
}

public sealed class SndsDayConfiguration : IEntityTypeConfiguration<SndsDay>
{
    public void Configure(EntityTypeBuilder<SndsDay> builder)
    {
        builder.ToTable("snds_days");
        builder.Property(x => x.Ip).HasColumnType("inet");
        // UNIQUE (ip, day) is created by the migration: EF Core refuses unique indexes over IPAddress (dotnet/efcore#23775).
        builder.HasIndex(x => new { x.Ip, x.Day });
        builder.HasIndex(x => new { x.SendingIpId, x.Day });
        builder.HasIndex(x => x.Day);
        builder.Property(x => x.FilterResult).HasMaxLength(16);
        builder.Property(x => x.ComplaintRate).HasPrecision(9, 6);
        builder.Property(x => x.SampleHelo).HasMaxLength(255);
        builder.Property(x => x.SampleMailFrom).HasMaxLength(320);
        builder.Property(x => x.Comments).HasMaxLength(1000);
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A range Outlook.com's SNDS IP Status report lists as blocked (or no longer blocked), as of an upload.</summary>
public sealed class SndsIpStatusEntry
{
    public long Id { get; set; }
    public long FileId { get; set; }
    public required IPAddress FirstIp { get; set; }
    public required IPAddress LastIp { get; set; }
    public bool Blocked { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
}

public sealed class SndsIpStatusEntryConfiguration : IEntityTypeConfiguration<SndsIpStatusEntry>
{
    public void Configure(EntityTypeBuilder<SndsIpStatusEntry> builder)
    {
        builder.ToTable("snds_ip_status");
        builder.Property(x => x.FirstIp).HasColumnType("inet");
        builder.Property(x => x.LastIp).HasColumnType("inet");
        builder.Property(x => x.Reason).HasMaxLength(500);
        builder.HasIndex(x => x.FileId);
        builder.HasIndex(x => x.ReportedAt);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}
