using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ips;

/// <summary>An IP address the operator's mail servers send from.</summary>
public sealed class SendingIp
{
    public long Id { get; set; }
    public required IPAddress Address { get; set; }
    public string? Label { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Domains this IP sends for (SPF, DMARC, MX and the Outlook rule are checked for each). Lower case.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>DKIM keys to check, as "domain:selector".</summary>
    public List<string> DkimSelectors { get; set; } = [];

    /// <summary>The name the MTA gives in HELO/EHLO from this IP (checked against the PTR); null = not checked.</summary>
    public string? HeloName { get; set; }

    /// <summary>Whether the scheduled DNS checks include this IP ("Check now" works either way).</summary>
    public bool ChecksEnabled { get; set; } = true;
}

public sealed class SendingIpConfiguration : IEntityTypeConfiguration<SendingIp>
{
    public void Configure(EntityTypeBuilder<SendingIp> builder)
    {
        builder.ToTable("sending_ips");
        builder.Property(x => x.Address).HasColumnType("inet");
        // The database index is UNIQUE (set in the InitialCreate migration). EF Core refuses unique indexes on IPAddress
        // (it is not IComparable: dotnet/efcore#23775), so the model declares a plain index.
        builder.HasIndex(x => x.Address);
        builder.Property(x => x.Label).HasMaxLength(200);
        builder.Property(x => x.Domains).HasColumnType("text[]");
        builder.Property(x => x.DkimSelectors).HasColumnType("text[]");
        builder.Property(x => x.HeloName).HasMaxLength(253);
        // Existing rows get checks_enabled = true: the Checks migration sets the column default by hand (the model keeps
        // no default, so that an explicit false from the app is always written).
    }
}
