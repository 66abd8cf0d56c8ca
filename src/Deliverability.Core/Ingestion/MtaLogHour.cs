using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Delivery attempts read from an MTA log, counted per file, sending IP, hour, provider and provider code.
/// Logs are kept as hourly counts (what the IP page charts), not line by line.
/// </summary>
public sealed class MtaLogHour
{
    public long Id { get; set; }
    public long FileId { get; set; }
    public long? SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public required string LogHost { get; set; }
    public DateTimeOffset Hour { get; set; }
    public required string Provider { get; set; }
    public string? ProviderCode { get; set; }
    public int Attempts { get; set; }
    public int Sent { get; set; }
    public int Deferred { get; set; }
    public int Bounced { get; set; }
    public bool MicrosoftBlock { get; set; }
    public DateTimeOffset FirstAt { get; set; }
    public string? SampleReply { get; set; }
}

/// <summary>SASL logins read from an MTA log, per file, user and hour: a sudden spike points at a stolen password.</summary>
public sealed class MtaLogLoginHour
{
    public long Id { get; set; }
    public long FileId { get; set; }
    public required string LogHost { get; set; }
    public DateTimeOffset Hour { get; set; }
    public required string User { get; set; }
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    public int ClientIps { get; set; }
}

public sealed class MtaLogHourConfiguration : IEntityTypeConfiguration<MtaLogHour>
{
    public void Configure(EntityTypeBuilder<MtaLogHour> builder)
    {
        builder.ToTable("mta_log_hours");
        builder.Property(x => x.LogHost).HasMaxLength(255);
        builder.Property(x => x.Provider).HasMaxLength(64);
        builder.Property(x => x.ProviderCode).HasMaxLength(32);
        builder.Property(x => x.SampleReply).HasMaxLength(1000);
        builder.HasIndex(x => new { x.SendingIpId, x.Hour });
        builder.HasIndex(x => x.FileId);
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MtaLogLoginHourConfiguration : IEntityTypeConfiguration<MtaLogLoginHour>
{
    public void Configure(EntityTypeBuilder<MtaLogLoginHour> builder)
    {
        builder.ToTable("mta_log_login_hours");
        builder.Property(x => x.LogHost).HasMaxLength(255);
        builder.Property(x => x.User).HasMaxLength(320);
        builder.HasIndex(x => new { x.User, x.Hour });
        builder.HasIndex(x => x.FileId);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}
