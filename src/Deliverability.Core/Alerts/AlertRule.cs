using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Alerts;

/// <summary>
/// Whether and where an event kind is sent (table alert_rules): one rule per kind for every IP, and optionally one per kind
/// and IP that takes its place for that IP. No rule saved for a kind means: enabled, every enabled channel.
/// An empty <see cref="ChannelIds"/> also means every enabled channel.
/// </summary>
public sealed class AlertRule
{
    public long Id { get; set; }
    public AlertEventKind Kind { get; set; }
    public long? SendingIpId { get; set; }
    public bool Enabled { get; set; } = true;
    public List<long> ChannelIds { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>The alert settings (table alert_settings, one row, id 1).</summary>
public sealed class AlertSettings
{
    public const int DefaultStackingMinutes = 15;

    public int Id { get; set; } = 1;

    /// <summary>After an alert of a kind, further events of that kind wait this long and go out as one summary.</summary>
    public int StackingWindowMinutes { get; set; } = DefaultStackingMinutes;

    /// <summary>"https://deliverability.example.com": where links in alerts point; null = links are given as paths only.</summary>
    public string? PublicBaseUrl { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>No alert for this IP until <see cref="Until"/> (table alert_mutes): its events are recorded as muted.</summary>
public sealed class AlertMute
{
    public long SendingIpId { get; set; }
    public DateTimeOffset Until { get; set; }
    public DateTimeOffset MutedAt { get; set; }
    public required string MutedBy { get; set; }
}

public sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> builder)
    {
        builder.ToTable("alert_rules");
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(x => x.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(x => new { x.Kind, x.SendingIpId }).IsUnique().AreNullsDistinct(false);
        builder.HasOne<Ips.SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AlertSettingsConfiguration : IEntityTypeConfiguration<AlertSettings>
{
    public void Configure(EntityTypeBuilder<AlertSettings> builder)
    {
        builder.ToTable("alert_settings");
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.PublicBaseUrl).HasMaxLength(500);
        builder.Property(x => x.UpdatedBy).HasMaxLength(256);
    }
}

public sealed class AlertMuteConfiguration : IEntityTypeConfiguration<AlertMute>
{
    public void Configure(EntityTypeBuilder<AlertMute> builder)
    {
        builder.ToTable("alert_mutes");
        builder.HasKey(x => x.SendingIpId);
        builder.Property(x => x.MutedBy).HasMaxLength(256);
        builder.HasOne<Ips.SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
