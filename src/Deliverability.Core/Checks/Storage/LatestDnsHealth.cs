using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>The resolver's health as the latest completed run saw it, with the IP that run checked.</summary>
public sealed record DnsHealthSighting(long RunId, long SendingIpId, string Address, DateTimeOffset? FinishedAt, DnsHealthReport Report);

/// <summary>The resolver health the settings page shows.</summary>
public sealed class LatestDnsHealth(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public async Task<DnsHealthSighting?> LoadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadAsync(db, ct);
    }

    /// <summary>The newest completed run that stored its probes (runs from before the probes existed have none); null when there is none.</summary>
    public static async Task<DnsHealthSighting?> LoadAsync(DeliverabilityDbContext db, CancellationToken ct)
    {
        var run = await db.CheckRuns.AsNoTracking()
            .Where(r => r.Status == CheckRunStatus.Completed && r.DnsHealth != null)
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id)
            .Select(r => new { r.Id, r.SendingIpId, r.SendingIp!.Address, r.FinishedAt, r.DnsHealth })
            .FirstOrDefaultAsync(ct);
        return run is null || DnsHealthReport.FromJson(run.DnsHealth) is not { } report
            ? null
            : new DnsHealthSighting(run.Id, run.SendingIpId, run.Address.ToString(), run.FinishedAt, report);
    }
}
