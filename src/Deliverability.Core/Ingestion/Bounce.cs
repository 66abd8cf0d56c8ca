using System.Net;
using System.Text.Json;
using Deliverability.Core.Bounces;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>One recipient result of a stored message (bounce, delay or delivery report), attributed to a sending IP.</summary>
public sealed class Bounce
{
    public long Id { get; set; }
    public long RawMessageId { get; set; }
    public int RecipientIndex { get; set; }
    public long BatchId { get; set; }

    /// <summary>Null while unattributed: the user can assign it later.</summary>
    public long? SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public IPAddress? SendingIpAddress { get; set; }

    /// <summary>How the IP was found: the parser's place ("diagnostic", ...), "rule:&lt;kind&gt;" or "upload".</summary>
    public string? SendingIpSource { get; set; }

    public required string Recipient { get; set; }

    /// <summary>The DSN's Original-Recipient when it differs from <see cref="Recipient"/> (Final-Recipient).</summary>
    public string? OriginalRecipient { get; set; }
    public string? RecipientDomain { get; set; }
    public string? Action { get; set; }
    public string? Status { get; set; }
    public int? ReplyCode { get; set; }
    public string? Diagnostic { get; set; }
    public string? RemoteMta { get; set; }
    public string? ReportingMta { get; set; }
    public required string Reason { get; set; }
    public bool HardBounce { get; set; }
    public BounceKind Kind { get; set; }
    public string? Provider { get; set; }
    public string? ProviderCode { get; set; }
    public string? Sender { get; set; }
    public string? SenderDomain { get; set; }
    public string? OriginalMessageId { get; set; }
    public List<DkimSignatureRef> Dkim { get; set; } = [];
    public DateTimeOffset? ArrivalDate { get; set; }

    /// <summary>When it happened: the report's arrival date, else the message date, else when it was ingested.</summary>
    public DateTimeOffset OccurredAt { get; set; }
}

public sealed class BounceConfiguration : IEntityTypeConfiguration<Bounce>
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Bounce> builder)
    {
        builder.ToTable("bounces");
        // bounces is range-partitioned by month on occurred_at (Storage/BouncePartitions): every unique key holds it, the primary
        // key too ((id, occurred_at) in the database; the model keeps Id, which the sequence makes unique on its own).
        builder.HasIndex(x => new { x.RawMessageId, x.RecipientIndex, x.OccurredAt }).IsUnique();
        builder.HasIndex(x => new { x.SendingIpId, x.OccurredAt });
        builder.HasIndex(x => new { x.Provider, x.OccurredAt });
        builder.HasIndex(x => new { x.ProviderCode, x.OccurredAt });
        builder.HasIndex(x => x.BatchId);
        // The bounce explorer's filters by reason, and by time alone (Evidence/BounceExplorer).
        builder.HasIndex(x => new { x.Reason, x.OccurredAt });
        builder.HasIndex(x => x.OccurredAt);
        builder.Property(x => x.SendingIpAddress).HasColumnType("inet");
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Dkim).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, JsonOptions),
            v => JsonSerializer.Deserialize<List<DkimSignatureRef>>(v, JsonOptions) ?? new List<DkimSignatureRef>(),
            new ValueComparer<List<DkimSignatureRef>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<RawMessage>().WithMany().HasForeignKey(x => x.RawMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
