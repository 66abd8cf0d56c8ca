using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Checks.Storage;

/// <summary>What started a check run.</summary>
public enum CheckTrigger
{
    Scheduled,
    Manual,
    Cli,
}

public enum CheckRunStatus
{
    Running,
    Completed,
    Failed,
}

/// <summary>One run of every DNS check for one sending IP. Its results and change events are written with its completion.</summary>
public sealed class CheckRun
{
    public long Id { get; set; }
    public long SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public CheckTrigger Trigger { get; set; }
    public CheckRunStatus Status { get; set; }
    public int PassCount { get; set; }
    public int WarnCount { get; set; }
    public int FailCount { get; set; }
    public int UnknownCount { get; set; }
    public string? Error { get; set; }

    /// <summary>The run's resolver probe and list test points (<see cref="DnsHealthReport"/> as jsonb); null for runs before they existed.</summary>
    public string? DnsHealth { get; set; }
}

public sealed class CheckRunConfiguration : IEntityTypeConfiguration<CheckRun>
{
    public void Configure(EntityTypeBuilder<CheckRun> builder)
    {
        builder.ToTable("check_runs");
        builder.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Error).HasMaxLength(2000);
        builder.Property(x => x.DnsHealth).HasColumnType("jsonb");
        builder.HasIndex(x => new { x.SendingIpId, x.StartedAt });
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
