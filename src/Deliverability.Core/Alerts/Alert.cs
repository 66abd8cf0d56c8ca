using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Alerts;

/// <summary>
/// One message sent to the channels of a rule (table alerts): one event, or the summary of the events of one kind held back by
/// the stacking window. Its text is fixed when it is made; each channel's delivery is an <see cref="AlertDelivery"/>.
/// </summary>
public sealed class Alert
{
    public long Id { get; set; }
    public AlertEventKind Kind { get; set; }

    /// <summary>The rule that sent it; null for the default rule (no rule saved for the kind) and for test alerts.</summary>
    public long? RuleId { get; set; }

    public required string Title { get; set; }
    public required string Text { get; set; }

    /// <summary>The page it links to, relative ("/ips/12", "/delisting/3", "/alerts").</summary>
    public required string LinkPath { get; set; }

    /// <summary>Absolute link from the public base URL; null when no base URL is set.</summary>
    public string? Link { get; set; }

    public int EventCount { get; set; }
    public bool IsSummary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<AlertDelivery> Deliveries { get; set; } = [];
}

public enum AlertDeliveryStatus
{
    Pending,
    Sent,

    /// <summary>The last attempt failed; the job tries again after a back-off.</summary>
    Retrying,

    /// <summary>Every attempt failed.</summary>
    Failed,
}

/// <summary>One alert on one channel (table alert_deliveries): sent by <see cref="AlertDeliveryJob"/>, with every attempt counted.</summary>
public sealed class AlertDelivery
{
    public long Id { get; set; }
    public long AlertId { get; set; }
    public long ChannelId { get; set; }
    public AlertDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

public sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("alerts");
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(x => x.Title).HasMaxLength(500);
        builder.Property(x => x.Text).HasMaxLength(20000);
        builder.Property(x => x.LinkPath).HasMaxLength(200);
        builder.Property(x => x.Link).HasMaxLength(1200);
        builder.HasIndex(x => new { x.Kind, x.RuleId, x.CreatedAt });
        builder.HasIndex(x => x.CreatedAt);
        builder.HasMany(x => x.Deliveries).WithOne().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AlertDeliveryConfiguration : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> builder)
    {
        builder.ToTable("alert_deliveries");
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.LastError).HasMaxLength(2000);
        builder.HasIndex(x => new { x.AlertId, x.ChannelId }).IsUnique();
        builder.HasOne<AlertChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
