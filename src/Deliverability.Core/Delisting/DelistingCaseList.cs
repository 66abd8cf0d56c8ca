using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Delisting;

/// <summary>A case as the lists show it: the case's own columns, its IP and the title of its current step.</summary>
public sealed record DelistingCaseRow(DelistingCase Case, string IpAddress, string? StepTitle);

/// <summary>Which cases the delisting page lists.</summary>
public enum DelistingCaseFilter
{
    Open,
    Resolved,
    All,
}

/// <summary>An IP the "open a case" dialog offers.</summary>
public sealed record DelistingIpOption(long Id, string Text);

/// <summary>The IPs to choose from; Suggested: the IP blocked most recently that has no unresolved case at its blocker yet, the likely reason to open one.</summary>
public sealed record DelistingIpChoices(IReadOnlyList<DelistingIpOption> Ips, long? Suggested);

/// <summary>The lists of delisting cases (the delisting page, the IP page's panel) and the IPs a new case can be opened for.</summary>
public sealed class DelistingCaseList(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public async Task<List<DelistingCaseRow>> ForIpAsync(long sendingIpId, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await QueryAsync(db.DelistingCases.Where(c => c.SendingIpId == sendingIpId), limit, ct);
    }

    public async Task<List<DelistingCaseRow>> ListAsync(DelistingCaseFilter filter, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cases = filter switch
        {
            DelistingCaseFilter.Open => db.DelistingCases.Where(c => c.State != DelistingCaseState.Resolved),
            DelistingCaseFilter.Resolved => db.DelistingCases.Where(c => c.State == DelistingCaseState.Resolved),
            _ => db.DelistingCases,
        };
        return await QueryAsync(cases, limit, ct);
    }

    public async Task<DelistingIpChoices> IpChoicesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ips = await db.SendingIps.AsNoTracking().OrderBy(x => x.Address).Select(x => new { x.Id, x.Address, x.Label }).ToListAsync(ct);
        var suggested = await db.IpStatus.AsNoTracking()
            .Where(s => s.BlockedBy != null && !db.DelistingCases.Any(c => c.SendingIpId == s.SendingIpId && c.Target == s.BlockedBy && c.State != DelistingCaseState.Resolved))
            .OrderByDescending(s => s.BlockedSince).Select(s => (long?)s.SendingIpId).FirstOrDefaultAsync(ct);
        return new DelistingIpChoices(ips.Select(x => new DelistingIpOption(x.Id, x.Label is null ? x.Address.ToString() : $"{x.Address} · {x.Label}")).ToList(), suggested);
    }

    /// <summary>The newest cases of <paramref name="cases"/> first, at most <paramref name="limit"/>.</summary>
    private static async Task<List<DelistingCaseRow>> QueryAsync(IQueryable<DelistingCase> cases, int limit, CancellationToken ct)
    {
        var rows = await cases.AsNoTracking().OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id).Take(limit)
            .Select(c => new
            {
                Case = c,
                Address = c.SendingIp!.Address,
                StepTitle = c.Steps.Where(s => s.Key == c.CurrentStepKey).Select(s => s.Title).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(r => new DelistingCaseRow(r.Case, r.Address.ToString(), r.StepTitle)).ToList();
    }
}
