using System.Net;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>A spam complaint from a feedback loop (ARF, Outlook JMRP), attributed to the IP that sent the reported message.</summary>
public sealed class Complaint
{
    public long Id { get; set; }
    public long RawMessageId { get; set; }
    public int RecipientIndex { get; set; }
    public long BatchId { get; set; }
    public long? SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public IPAddress? SourceIp { get; set; }
    public string? FeedbackType { get; set; }
    public string? Provider { get; set; }
    public string? Recipient { get; set; }
    public string? Sender { get; set; }
    public string? SenderDomain { get; set; }
    public string? OriginalMessageId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}

public sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> builder)
    {
        builder.ToTable("complaints");
        builder.HasIndex(x => new { x.RawMessageId, x.RecipientIndex }).IsUnique();
        builder.HasIndex(x => new { x.SendingIpId, x.OccurredAt });
        builder.HasIndex(x => x.OccurredAt);
        builder.Property(x => x.SourceIp).HasColumnType("inet");
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<RawMessage>().WithMany().HasForeignKey(x => x.RawMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
