using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ips;

/// <summary>A tracked IP as a form offers it: its id and "203.0.113.25 (label)".</summary>
public sealed record SendingIpChoice(long Id, string Display);

/// <summary>The tracked IPs a form lets the user choose from (uploads, attribution rules), in address order.</summary>
public sealed class SendingIpChoices(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public async Task<IReadOnlyList<SendingIpChoice>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ips = await db.SendingIps.AsNoTracking().OrderBy(x => x.Address).Select(x => new { x.Id, x.Address, x.Label }).ToListAsync(ct);
        return ips.Select(x => new SendingIpChoice(x.Id, x.Label is null ? x.Address.ToString() : $"{x.Address} ({x.Label})")).ToList();
    }
}
