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
    }
}
