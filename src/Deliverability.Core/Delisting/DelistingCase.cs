using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Delisting;

public enum DelistingCaseState
{
    /// <summary>Being prepared: finding the error, fixing the causes, preparing the request.</summary>
    Open,

    /// <summary>The request is with the provider or list; waiting for its answers.</summary>
    Submitted,

    /// <summary>Finished with an outcome.</summary>
    Resolved,
}

public enum DelistingOutcome
{
    Unblocked,
    Denied,
    Withdrawn,
}

/// <summary>A guided delisting request for one IP at one provider or blocklist.</summary>
public sealed class DelistingCase
{
    public long Id { get; set; }
    public long SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }

    /// <summary>Provider key ("outlook.com", "microsoft365", "gmail", "yahoo") or "blocklist:&lt;list id&gt;".</summary>
    public required string Target { get; set; }

    public DelistingCaseState State { get; set; }
    public DelistingOutcome? Outcome { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Key of the first pending step; null once resolved.</summary>
    public string? CurrentStepKey { get; set; }

    /// <summary>When the target first refused the IP, from the bounces at opening (or the failing check for a list).</summary>
    public DateTimeOffset? FirstBlockAt { get; set; }

    /// <summary>The codes seen at opening, comma-separated ("S3150, 5.7.1"), or the list's return code.</summary>
    public string? BlockCodes { get; set; }

    public string? TicketNumber { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? FirstReplyAt { get; set; }
    public DateTimeOffset? DecisionAt { get; set; }

    /// <summary>Whether the provider agreed to mitigate; null until it decided.</summary>
    public bool? DecisionPositive { get; set; }

    /// <summary>Due times, computed from the recorded times and the process's published timings (null: none applies).</summary>
    public DateTimeOffset? FirstReplyDueAt { get; set; }
    public DateTimeOffset? DecisionDueAt { get; set; }
    public DateTimeOffset? UnblockDueAt { get; set; }

    public int ReopenCount { get; set; }
    public DateTimeOffset? ReopenedAt { get; set; }

    public List<DelistingStep> Steps { get; set; } = [];
    public List<DelistingCaseEvent> Events { get; set; } = [];
}

public sealed class DelistingCaseConfiguration : IEntityTypeConfiguration<DelistingCase>
{
    public void Configure(EntityTypeBuilder<DelistingCase> builder)
    {
        builder.ToTable("delisting_cases");
        builder.Property(x => x.Target).HasMaxLength(100);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.OpenedBy).HasMaxLength(256);
        builder.Property(x => x.CurrentStepKey).HasMaxLength(64);
        builder.Property(x => x.BlockCodes).HasMaxLength(500);
        builder.Property(x => x.TicketNumber).HasMaxLength(100);
        builder.HasIndex(x => new { x.SendingIpId, x.Target, x.State });
        // At most one unresolved case per IP and target: a second "open" returns the existing one.
        builder.HasIndex(x => new { x.SendingIpId, x.Target }).IsUnique().HasFilter("state <> 'Resolved'")
            .HasDatabaseName("ix_delisting_cases_one_unresolved_per_target");
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
