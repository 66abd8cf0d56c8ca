using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Bounces of one IP counted per hour, provider and reason family (table ip_bounce_hours): what the timeline chart and
/// the IP list's windows read instead of the bounces themselves. Rebuilt per IP from the bounces by <see cref="BounceHours"/>.
/// </summary>
public sealed class BounceHour
{
    public long SendingIpId { get; set; }
    public DateTimeOffset Hour { get; set; }

    /// <summary>Provider key, "" when the parser could not tell.</summary>
    public required string Provider { get; set; }

    public required string Family { get; set; }
    public int Bounces { get; set; }
    public int Hard { get; set; }
    public int UnknownUser { get; set; }

    /// <summary>The earliest and latest bounce counted in the hour: where a window's edge crosses them (DiagnosisDue), to the second.</summary>
    public DateTimeOffset FirstAt { get; set; }

    public DateTimeOffset LastAt { get; set; }
}

public sealed class BounceHourConfiguration : IEntityTypeConfiguration<BounceHour>
{
    public void Configure(EntityTypeBuilder<BounceHour> builder)
    {
        builder.ToTable("ip_bounce_hours");
        builder.HasKey(x => new { x.SendingIpId, x.Hour, x.Provider, x.Family });
        builder.Property(x => x.Provider).HasMaxLength(64);
        builder.Property(x => x.Family).HasMaxLength(16);
        // The hourly refresh finds window crossings by hour across all IPs (DiagnosisDue).
        builder.HasIndex(x => x.Hour);
        builder.HasOne<SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
