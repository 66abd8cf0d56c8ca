using Deliverability.Core.Bounces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>A message exactly as received, gzip-compressed and stored once (SHA-256 unique), so it can be re-parsed.</summary>
public sealed class RawMessage
{
    public long Id { get; set; }
    public required byte[] Sha256 { get; set; }
    public int Size { get; set; }
    public required byte[] Gzip { get; set; }
    public long FirstBatchId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public MessageKind Kind { get; set; }
    public string? ParseError { get; set; }
    public string? Subject { get; set; }
}

public sealed class RawMessageConfiguration : IEntityTypeConfiguration<RawMessage>
{
    public void Configure(EntityTypeBuilder<RawMessage> builder)
    {
        builder.ToTable("raw_messages");
        builder.HasIndex(x => x.Sha256).IsUnique();
        builder.HasIndex(x => x.FirstBatchId);
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.ParseError).HasMaxLength(1000);
        builder.Property(x => x.Subject).HasMaxLength(500);
    }
}
