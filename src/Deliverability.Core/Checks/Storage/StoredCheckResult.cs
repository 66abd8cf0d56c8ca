using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Checks.Storage;

/// <summary>A <see cref="CheckResult"/> of one run, stored (table check_results). Details are the evidence as snake_case JSON.</summary>
public sealed class StoredCheckResult
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long SendingIpId { get; set; }
    public required string Check { get; set; }
    public required string Target { get; set; }
    public CheckStatus Status { get; set; }
    public required string Summary { get; set; }

    /// <summary>The evidence (jsonb), in the <see cref="CheckJson"/> shape.</summary>
    public required string Details { get; set; }
    public string? Link { get; set; }
    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>"check|target", lower case, as <see cref="CheckResult.Key"/>.</summary>
    public string Key => $"{Check}|{Target}".ToLowerInvariant();
}

public sealed class StoredCheckResultConfiguration : IEntityTypeConfiguration<StoredCheckResult>
{
    public void Configure(EntityTypeBuilder<StoredCheckResult> builder)
    {
        builder.ToTable("check_results");
        builder.Ignore(x => x.Key);
        builder.Property(x => x.Check).HasMaxLength(200);
        builder.Property(x => x.Target).HasMaxLength(400);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Details).HasColumnType("jsonb");
        builder.HasIndex(x => new { x.SendingIpId, x.Check, x.Target, x.CheckedAt });
        builder.HasIndex(x => new { x.RunId, x.Check, x.Target }).IsUnique();
        builder.HasOne<CheckRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Ips.SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
