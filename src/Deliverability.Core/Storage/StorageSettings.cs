using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Storage;

/// <summary>How long stored evidence is kept (one row, id 1); changed only through <see cref="BounceRetention"/>.</summary>
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
        });
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.UpdatedBy).HasMaxLength(256);
    }
}
