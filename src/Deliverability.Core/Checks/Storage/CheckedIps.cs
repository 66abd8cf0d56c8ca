using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>The sending IPs as the check settings list them: what their checks look at, and how their last run went.</summary>
public sealed class CheckedIps(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public sealed record RunSummary(DateTimeOffset At, CheckRunStatus Status, int Pass, int Warn, int Fail, int Unknown);

    public sealed record Row(long Id, string Address, string? Label, List<string> Domains, List<string> DkimSelectors, string? HeloName, bool Enabled, RunSummary? LastRun);

    public async Task<IReadOnlyList<Row>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ips = await db.SendingIps.AsNoTracking().OrderBy(x => x.Address)
            .Select(x => new
            {
                x.Id, x.Address, x.Label, x.Domains, x.DkimSelectors, x.HeloName, x.ChecksEnabled,
                LastRun = db.CheckRuns.Where(r => r.SendingIpId == x.Id).OrderByDescending(r => r.Id)
                    .Select(r => new RunSummary(r.StartedAt, r.Status, r.PassCount, r.WarnCount, r.FailCount, r.UnknownCount)).FirstOrDefault(),
            }).ToListAsync(ct);
        return ips.Select(x => new Row(x.Id, x.Address.ToString(), x.Label, x.Domains, x.DkimSelectors, x.HeloName, x.ChecksEnabled, x.LastRun)).ToList();
    }
}
