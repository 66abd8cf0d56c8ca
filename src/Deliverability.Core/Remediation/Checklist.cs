using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>What became of a tick.</summary>
public enum TickOutcome
{
    Saved,
    /// <summary>The item is verified by its checks: it ticks and unticks with them, never by hand.</summary>
    VerifiedByChecks,
    NotFound,
}

/// <summary>
/// An IP's remediation checklist as the IP page shows it, and the operator's manual ticks. A tick is saved with who and when,
/// then the IP is diagnosed again: its status counts the open items and words the next step from them.
/// </summary>
public sealed class Checklist(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock, IpDiagnosisRequests diagnosis)
{
    /// <summary>Open items first, then the ones no longer seen, then done ones; within each, in the plan's order.</summary>
    public async Task<List<RemediationItem>> ItemsAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RemediationItems.AsNoTracking().Where(i => i.SendingIpId == sendingIpId)
            .OrderBy(i => i.Done).ThenBy(i => !i.StillEvident).ThenBy(i => i.Position).ThenBy(i => i.Key)
            .ToListAsync(ct);
    }

    /// <summary>Ticks (<paramref name="done"/>) or unticks a manual item of the IP, as <paramref name="user"/>. The caller checks the user may.</summary>
    public async Task<TickOutcome> TickAsync(long sendingIpId, long itemId, bool done, string user, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var stored = await db.RemediationItems.SingleOrDefaultAsync(i => i.Id == itemId && i.SendingIpId == sendingIpId, ct);
            if (stored is null) return TickOutcome.NotFound;
            if (stored.Verification != RemediationVerification.Manual) return TickOutcome.VerifiedByChecks;
            if (stored.Done == done) return TickOutcome.Saved;

            var now = clock.GetUtcNow();
            stored.Done = done;
            stored.DoneAt = done ? now : null;
            stored.DoneBy = done ? user : null;
            stored.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }

        await diagnosis.RefreshAsync([sendingIpId], ct);
        return TickOutcome.Saved;
    }
}
