using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>What an attribution rule matches on (same members as <see cref="SendingIpMapRuleKind"/>).</summary>
public enum SendingIpRuleKind
{
    /// <summary>The reporting MTA of a bounce (the host that wrote it), e.g. mx1.example.com or *.example.com.</summary>
    ReportingMta,

    /// <summary>The envelope sender's domain (and its subdomains).</summary>
    SenderDomain,

    /// <summary>The host (and optionally the Postfix instance or transport) that wrote a log line: smtp_bind_address-style.</summary>
    LogHost,
}

/// <summary>Attributes evidence that names no IP: "mail from this host/domain leaves from this IP". Set in Settings.</summary>
public sealed class SendingIpRule
{
    public long Id { get; set; }
    public SendingIpRuleKind Kind { get; set; }
    public required string Pattern { get; set; }
    public string? Instance { get; set; }
    public long SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class SendingIpRuleConfiguration : IEntityTypeConfiguration<SendingIpRule>
{
    public void Configure(EntityTypeBuilder<SendingIpRule> builder)
    {
        builder.ToTable("sending_ip_rules");
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Pattern).HasMaxLength(255);
        builder.Property(x => x.Instance).HasMaxLength(100);
        builder.HasIndex(x => new { x.Kind, x.Pattern, x.Instance }).IsUnique().AreNullsDistinct(false);
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
