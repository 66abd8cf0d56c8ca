using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Storage;

/// <summary>How long stored evidence is kept (one row, id 1); changed only through <see cref="BounceRetention"/> and <see cref="EvidenceRetention"/>.</summary>
public sealed class StorageSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Whole months of bounces kept before the current one; null keeps everything.</summary>
    public int? BounceRetentionMonths { get; set; }

    /// <summary>
    /// The latest cutoff retention applied (recorded before it removes anything): bounces before it may be gone, so the hourly
    /// counts before it are what is left of them and a rebuild from the bounces (after a re-parse) starts here.
    /// </summary>
    public DateTimeOffset? BouncesRemovedBefore { get; set; }

    /// <summary>Whole months of MTA log lines (deliveries and logins) kept before the current one; null keeps everything.</summary>
    public int? LogLineRetentionMonths { get; set; }

    /// <summary>
    /// The latest log-line cutoff retention applied (recorded before it removes anything): the hourly log counts before it are
    /// what is left of those lines, so rebuilding the counts from the lines (a new upload of the host's log) starts here.
    /// </summary>
    public DateTimeOffset? LogLinesRemovedBefore { get; set; }

    /// <summary>Whole months of check results kept before the current one (each IP's latest completed run always stays); null keeps everything.</summary>
    public int? CheckResultRetentionMonths { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

public sealed class StorageSettingsConfiguration : IEntityTypeConfiguration<StorageSettings>
{
    public void Configure(EntityTypeBuilder<StorageSettings> builder)
    {
        builder.ToTable("storage_settings", t =>
        {
            t.HasCheckConstraint("ck_storage_settings_singleton", "id = 1");
            t.HasCheckConstraint("ck_storage_settings_bounce_retention", $"bounce_retention_months IS NULL OR bounce_retention_months >= {BouncePartitions.MinRetentionMonths}");
            t.HasCheckConstraint("ck_storage_settings_log_line_retention", $"log_line_retention_months IS NULL OR log_line_retention_months >= {BouncePartitions.MinRetentionMonths}");
            t.HasCheckConstraint("ck_storage_settings_check_result_retention", $"check_result_retention_months IS NULL OR check_result_retention_months >= {BouncePartitions.MinRetentionMonths}");
        });
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.UpdatedBy).HasMaxLength(256);
    }
}
