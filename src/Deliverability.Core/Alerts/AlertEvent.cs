using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Alerts;

/// <summary>What became of an event.</summary>
public enum AlertEventState
{
    /// <summary>Recorded, not looked at by the stacking yet.</summary>
    New,

    /// <summary>Sent in an alert (<see cref="AlertEvent.AlertId"/>).</summary>
    Alerted,

    /// <summary>Waiting for its kind's stacking window to close, to go out in one summary.</summary>
    Held,

    /// <summary>Its IP was muted: recorded, never sent.</summary>
    Muted,

    /// <summary>Its rule is switched off: recorded, never sent.</summary>
    Disabled,

    /// <summary>No enabled channel to send it on.</summary>
    NoChannel,

    /// <summary>Told by another alert of the same diagnosis (a new block code is in the "blocked" alert).</summary>
    Covered,
}

/// <summary>
/// One change worth telling someone about (table alert_events), recorded where the fact is decided (the diagnosis, the check
/// run, the deadline sweep, the mailbox poller), once per change: <see cref="Key"/> is its natural key, unique, so a job that
/// runs twice records nothing the second time.
/// </summary>
public sealed class AlertEvent
{
    public long Id { get; set; }
    public AlertEventKind Kind { get; set; }

    /// <summary>"ip-blocked:12:outlook.com:2026-11-28T09:00:00Z": what makes the change this change.</summary>
    public required string Key { get; set; }

    public long? SendingIpId { get; set; }

    /// <summary>The IP's address when the event was recorded, for the message (the IP may be gone later).</summary>
    public string? Address { get; set; }

    public long? DelistingCaseId { get; set; }

    /// <summary>"Blocked by Outlook.com: 203.0.113.5": the message's title when the event goes out alone.</summary>
    public required string Title { get; set; }

    /// <summary>The sentence the message says, built from the same evidence the page shows.</summary>
    public required string Summary { get; set; }

    /// <summary>The page the message links to ("/ips/12", "/delisting/3"), relative to the public base URL.</summary>
    public required string LinkPath { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public AlertEventState State { get; set; }
    public long? AlertId { get; set; }
}

public sealed class AlertEventConfiguration : IEntityTypeConfiguration<AlertEvent>
{
    public void Configure(EntityTypeBuilder<AlertEvent> builder)
    {
        builder.ToTable("alert_events");
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Key).HasMaxLength(500);
        builder.Property(x => x.Address).HasMaxLength(64);
        builder.Property(x => x.Title).HasMaxLength(500);
        builder.Property(x => x.Summary).HasMaxLength(2000);
        builder.Property(x => x.LinkPath).HasMaxLength(200);
        builder.HasIndex(x => x.Key).IsUnique();
        builder.HasIndex(x => x.State);
        builder.HasIndex(x => x.AlertId);
        builder.HasOne<Alert>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.SetNull);
    }
}
