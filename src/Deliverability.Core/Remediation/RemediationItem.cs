using System.Text.Json;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Remediation;

/// <summary>The causes the diagnosis can find for an IP's trouble; one checklist item each (blocklists: one per list).</summary>
public enum RemediationCause
{
    SpamComplaints,
    NewIpWithoutHistory,
    SpamContent,
    HighBounceRate,
    SuddenVolumeChange,
    SpfFailing,
    DkimFailing,
    DmarcFailing,
    PtrFailing,
    UnknownRecipients,
    DynamicIp,
    CompromisedHost,
    RateLimited,
    Blocklisted,
    ProviderBlock,
    ReportedAuthFailures,
}

/// <summary>How a checklist item gets ticked.</summary>
public enum RemediationVerification
{
    /// <summary>Ticks itself when the named checks pass, unticks when they fail again.</summary>
    Check,

    /// <summary>A person ticks it; who and when are recorded.</summary>
    Manual,
}

/// <summary>One piece of evidence behind a checklist item: what was seen, and where in the app to look at it.</summary>
public sealed record RemediationEvidence(string Text, string? Href = null, DateTimeOffset? At = null);

/// <summary>One item of an IP's remediation checklist, raised by the diagnosis job from the evidence.</summary>
public sealed class RemediationItem
{
    public long Id { get; set; }
    public long SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }

    /// <summary>Stable identity within the IP ("spf", "blocklist:zen.spamhaus.org"), so re-runs update rather than duplicate.</summary>
    public required string Key { get; set; }

    public RemediationCause Cause { get; set; }
    public required string Title { get; set; }

    /// <summary>What to do, in plain words.</summary>
    public required string Action { get; set; }

    public RemediationVerification Verification { get; set; }

    /// <summary>For <see cref="RemediationVerification.Check"/>: how it is verified, in words ("SPF check passes for every domain").</summary>
    public required string VerifiedBy { get; set; }

    public List<RemediationEvidence> Evidence { get; set; } = [];

    /// <summary>Whether the last diagnosis still saw the cause in the evidence.</summary>
    public bool StillEvident { get; set; }

    public bool Done { get; set; }
    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>The user who ticked a manual item; null when a check ticked it.</summary>
    public string? DoneBy { get; set; }

    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Display order: the most urgent cause first.</summary>
    public int Position { get; set; }
}

public sealed class RemediationItemConfiguration : IEntityTypeConfiguration<RemediationItem>
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<RemediationItem> builder)
    {
        builder.ToTable("remediation_items");
        builder.HasIndex(x => new { x.SendingIpId, x.Key }).IsUnique();
        builder.HasIndex(x => new { x.SendingIpId, x.Done });
        builder.Property(x => x.Key).HasMaxLength(200);
        builder.Property(x => x.Cause).HasConversion<string>().HasMaxLength(32);
        builder.Property(x => x.Verification).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Title).HasMaxLength(300);
        builder.Property(x => x.Action).HasMaxLength(4000);
        builder.Property(x => x.VerifiedBy).HasMaxLength(500);
        builder.Property(x => x.DoneBy).HasMaxLength(256);
        builder.Property(x => x.Evidence).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, JsonOptions),
            v => JsonSerializer.Deserialize<List<RemediationEvidence>>(v, JsonOptions) ?? new List<RemediationEvidence>(),
            new ValueComparer<List<RemediationEvidence>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
