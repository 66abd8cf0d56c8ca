using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Web.Features;

public static class FeatureEndpoints
{
    /// <summary>The JSON API under /api/v1. Everything here needs a signed-in user (the fallback policy).</summary>
    public static IEndpointRouteBuilder MapFeatureEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1");
        api.MapGet("/sending-ips", async (DeliverabilityDbContext db, CancellationToken ct) =>
        {
            var rows = await db.SendingIps.AsNoTracking().OrderBy(x => x.Address)
                .Select(x => new { x.Id, x.Address, x.Label, x.CreatedAt }).ToListAsync(ct);
            return rows.Select(x => new { id = x.Id, address = x.Address.ToString(), label = x.Label, created_at = x.CreatedAt });
        });
        return endpoints;
    }
}
