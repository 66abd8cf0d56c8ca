using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ips;

/// <summary>The IP list's status chip, worst first when sorted descending.</summary>
public enum IpHealth
{
    NoData = 0,
    Healthy = 1,
    AuthenticationProblems = 2,
    Listed = 3,
    Blocked = 4,

    /// <summary>Not blocked, listed or failing a check, but the evidence shows causes to fix (throttling, complaints, unknown users ...).</summary>
    AtRisk = 5,

    /// <summary>Known only from reports (an address named in bounces, complaints): no check and no MTA log says how it is doing.</summary>
    SeenInBounces = 6,
}

/// <summary>
/// What the diagnosis last concluded about an IP, with the counts the IP list shows, kept in one row per IP so the
/// list pages, sorts and filters without aggregating bounces (table ip_status). Rewritten by every diagnosis run and
/// by the hourly refresh, so the 24-hour and 7-day windows stay current.
/// </summary>
public sealed class IpStatusSnapshot
{
    public long SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public IpHealth Health { get; set; }

    /// <summary>Provider key of the current block ("outlook.com", "microsoft365", "gmail", ...), null when not blocked.</summary>
    public string? BlockedBy { get; set; }
    public string? BlockCode { get; set; }
    public DateTimeOffset? BlockedSince { get; set; }

    /// <summary>The verdict in one sentence, as the IP page's header shows it.</summary>
    public required string Verdict { get; set; }

    /// <summary>The next step to take, in one sentence.</summary>
    public string? NextStep { get; set; }

    public int ListedOn { get; set; }
    public int AuthFailures { get; set; }
    public int? SenderScore { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public int Bounces24h { get; set; }
    public int Bounces7d { get; set; }

    /// <summary>Hard bounces / all bounce reports of the last 7 days (0-1); null without reports.</summary>
    public double? HardBounceRate { get; set; }

    /// <summary>Unknown-user bounces / all bounce reports of the last 7 days (0-1); null without reports.</summary>
    public double? UnknownUserRate { get; set; }

    public int OpenItems { get; set; }
    public int OpenCases { get; set; }
    public DateTimeOffset? LastBounceAt { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

public sealed class IpStatusSnapshotConfiguration : IEntityTypeConfiguration<IpStatusSnapshot>
{
    public void Configure(EntityTypeBuilder<IpStatusSnapshot> builder)
    {
        builder.ToTable("ip_status");
        builder.HasKey(x => x.SendingIpId);
        builder.Property(x => x.Health).HasConversion<string>().HasMaxLength(32);
        builder.Property(x => x.BlockedBy).HasMaxLength(64);
        builder.Property(x => x.BlockCode).HasMaxLength(32);
        builder.Property(x => x.Verdict).HasMaxLength(1000);
        builder.Property(x => x.NextStep).HasMaxLength(1000);
        builder.HasIndex(x => x.Health);
        builder.HasIndex(x => x.Bounces7d);
        builder.HasOne(x => x.SendingIp).WithOne().HasForeignKey<IpStatusSnapshot>(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
