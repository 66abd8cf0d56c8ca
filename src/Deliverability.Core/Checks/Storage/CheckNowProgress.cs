using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>How far an IP's "Check now" got: its check run since the click, and whether the diagnosis that follows has run.</summary>
public sealed class CheckNowProgress(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public sealed record Run(CheckRunStatus Status, string? Error, DateTimeOffset? FinishedAt);

    /// <summary>The IP's newest check run that started at or after <paramref name="startedAfter"/>; null while it waits for a worker.</summary>
    public async Task<Run?> RunSinceAsync(long sendingIpId, DateTimeOffset startedAfter, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CheckRuns.AsNoTracking().Where(r => r.SendingIpId == sendingIpId && r.StartedAt >= startedAfter)
            .OrderByDescending(r => r.StartedAt).Select(r => new Run(r.Status, r.Error, r.FinishedAt)).FirstOrDefaultAsync(ct);
    }

    /// <summary>Whether the IP's status was computed at or after <paramref name="at"/> (the diagnosis read the new results).</summary>
    public async Task<bool> DiagnosedSinceAsync(long sendingIpId, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var computed = await db.IpStatus.AsNoTracking().Where(s => s.SendingIpId == sendingIpId).Select(s => (DateTimeOffset?)s.ComputedAt).SingleOrDefaultAsync(ct);
        return computed >= at;
    }
}
