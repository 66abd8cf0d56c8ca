using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>The blocklists the checks query, each with its effective state, and the change that turns one on or off.</summary>
public sealed class BlocklistChoices(IDbContextFactory<DeliverabilityDbContext> dbFactory, BlocklistSelection selection, TimeProvider clock)
{
    public async Task<IReadOnlyList<BlocklistChoice>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await selection.LoadAsync(db, ct)).Lists;
    }

    /// <summary>Turns a list on or off from the next run (see <see cref="BlocklistSelection.SetEnabledAsync"/>).</summary>
    public async Task SetEnabledAsync(BlocklistChoice choice, bool on, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await BlocklistSelection.SetEnabledAsync(db, choice, on, clock.GetUtcNow(), ct);
    }
}
