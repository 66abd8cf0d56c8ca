using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Storage;

/// <summary>The bounce retention setting, the partitions and what the next run removes, as the Settings page shows them.</summary>
public sealed record BounceStorage(int? RetentionMonths, DateTimeOffset? UpdatedAt, string? UpdatedBy, IReadOnlyList<BouncePartition> Partitions, BounceRetentionPlan? NextRun);

/// <summary>Reads and changes how long bounces are kept (Admins only: the page's policy and <see cref="SetAsync"/>'s check).</summary>
public sealed partial class BounceRetention(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock, ILogger<BounceRetention> logger)
{
    /// <summary>The choices offered: null keeps everything.</summary>
    public static IReadOnlyList<int?> Choices { get; } = [null, 4, 6, 12, 24, 36, 60];

    public async Task<BounceStorage> ReadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.StorageSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        var partitions = await BouncePartitions.ListAsync(db, ct);
        var plan = settings?.BounceRetentionMonths is { } months ? await BouncePartitions.PlanAsync(db, months, clock.GetUtcNow(), ct) : null;
        return new BounceStorage(settings?.BounceRetentionMonths, settings?.UpdatedAt, settings?.UpdatedBy, partitions, plan);
    }

    /// <summary>Keeps <paramref name="months"/> whole months before the current one (null: everything); the daily run removes the rest.</summary>
    public async Task SetAsync(int? months, bool isAdmin, string user, CancellationToken ct)
    {
        await ChangeAsync(dbFactory, clock, months, isAdmin, user, settings => settings.BounceRetentionMonths = months, ct);
        LogChanged(user, months);
    }

    /// <summary>
    /// Every retention change: Admins only, at least <see cref="BouncePartitions.MinRetentionMonths"/> months (null: everything),
    /// recorded with who made it.
    /// </summary>
    internal static async Task ChangeAsync(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock, int? months, bool isAdmin, string user,
        Action<StorageSettings> change, CancellationToken ct)
    {
        if (!isAdmin)
        {
            throw new UnauthorizedAccessException("Only admins can change how long evidence is kept.");
        }

        if (months is < BouncePartitions.MinRetentionMonths)
        {
            throw new ArgumentOutOfRangeException(nameof(months), months,
                $"Keep at least {BouncePartitions.MinRetentionMonths} months: the diagnosis and the IP page read the last 90 days.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.StorageSettings.FirstOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new StorageSettings();
            db.StorageSettings.Add(settings);
        }

        change(settings);
        settings.UpdatedAt = clock.GetUtcNow();
        settings.UpdatedBy = user;
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} set bounce retention to {Months} months (none: everything kept)")]
    private partial void LogChanged(string user, int? months);
}
