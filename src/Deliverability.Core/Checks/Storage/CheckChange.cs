using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Checks.Storage;

/// <summary>A check whose status differs from the previous stored result for the same check and target ("pass → fail", "listed → delisted").</summary>
public sealed class CheckChange
{
    public long Id { get; set; }
    public long SendingIpId { get; set; }
    public long RunId { get; set; }
    public required string Check { get; set; }
    public required string Target { get; set; }
    public CheckStatus FromStatus { get; set; }
    public CheckStatus ToStatus { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Summary { get; set; }

    /// <summary>
    /// Whether a new status is a change worth an event: it differs, and neither side is Unknown. An Unknown result (a failed lookup,
    /// an untrusted resolver or list) says nothing about the IP, so "listed → unknown → not listed" is one "delisted", at the run
    /// that saw it, and "listed → unknown → listed" is none.
    /// </summary>
    public static bool IsChange(CheckStatus from, CheckStatus to) =>
        from != to && from != CheckStatus.Unknown && to != CheckStatus.Unknown;

    /// <summary>"listed", "delisted" for blocklists; otherwise "pass → fail" style.</summary>
    public static string Describe(string check, CheckStatus from, CheckStatus to)
    {
        if (check.StartsWith(Blocklists.BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            if (from == CheckStatus.Pass && to is CheckStatus.Fail or CheckStatus.Warn) return "listed";
            if (from is CheckStatus.Fail or CheckStatus.Warn && to == CheckStatus.Pass) return "delisted";
        }

        return $"{Lower(from)} → {Lower(to)}";

        static string Lower(CheckStatus s) => s.ToString().ToLowerInvariant();
    }
}

public sealed class CheckChangeConfiguration : IEntityTypeConfiguration<CheckChange>
{
    public void Configure(EntityTypeBuilder<CheckChange> builder)
    {
        builder.ToTable("check_changes");
        builder.Property(x => x.Check).HasMaxLength(200);
        builder.Property(x => x.Target).HasMaxLength(400);
        builder.Property(x => x.FromStatus).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.ToStatus).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Summary).HasMaxLength(2000);
        builder.HasIndex(x => new { x.SendingIpId, x.At });
        builder.HasIndex(x => new { x.RunId, x.Check, x.Target }).IsUnique();
        builder.HasOne<CheckRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Ips.SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
