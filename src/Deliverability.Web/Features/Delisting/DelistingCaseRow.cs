using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Web.Features.Delisting;

/// <summary>A case as the lists show it: the case's own columns, its IP and the title of its current step.</summary>
public sealed record DelistingCaseRow(DelistingCase Case, string IpAddress, string? StepTitle)
{
    /// <summary>The newest cases of <paramref name="cases"/> first, at most <paramref name="limit"/>.</summary>
    public static async Task<List<DelistingCaseRow>> QueryAsync(DeliverabilityDbContext db, IQueryable<DelistingCase> cases, int limit)
    {
        var rows = await cases.AsNoTracking().OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id).Take(limit)
            .Select(c => new
            {
                Case = c,
                Address = c.SendingIp!.Address,
                StepTitle = c.Steps.Where(s => s.Key == c.CurrentStepKey).Select(s => s.Title).FirstOrDefault(),
            })
            .ToListAsync();
        return rows.Select(r => new DelistingCaseRow(r.Case, r.Address.ToString(), r.StepTitle)).ToList();
    }
}
