using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Evidence;

/// <summary>The bounce explorer page's reads: one page of rows after a cursor, and the facets of the filter.</summary>
public sealed class BounceSearch(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public async Task<BouncePage> PageAsync(BounceQuery query, BounceCursor? after, int size, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await BounceExplorer.PageAsync(db, query, after, size, ct);
    }

    public async Task<BounceFacets?> FacetsAsync(BounceQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await BounceExplorer.FacetsAsync(db, query, ct);
    }
}
