using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Delisting;

public enum DelistingCaseState
{
    /// <summary>Being prepared: finding the error, fixing the causes, preparing the request.</summary>
    Open,

    /// <summary>The request is with the provider or list; waiting for its answers.</summary>
    Submitted,

    /// <summary>Finished with an outcome.</summary>
    Resolved,
}

public enum DelistingOutcome
{
    Unblocked,
    Denied,
    Withdrawn,
}

/// <summary>A guided delisting request for one IP at one provider or blocklist.</summary>
public sealed class DelistingCase
{
    public long Id { get; set; }
    public long SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }

    /// <summary>Provider key ("outlook.com", "microsoft365", "gmail", "yahoo") or "blocklist:&lt;list id&gt;".</summary>
    public required string Target { get; set; }

    public DelistingCaseState State { get; set; }
    public DelistingOutcome? Outcome { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}

public sealed class DelistingCaseConfiguration : IEntityTypeConfiguration<DelistingCase>
{
    public void Configure(EntityTypeBuilder<DelistingCase> builder)
    {
        builder.ToTable("delisting_cases");
        builder.Property(x => x.Target).HasMaxLength(100);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.OpenedBy).HasMaxLength(256);
        builder.HasIndex(x => new { x.SendingIpId, x.Target, x.State });
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
