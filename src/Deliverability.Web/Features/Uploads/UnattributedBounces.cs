using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Web.Features.Uploads;

/// <summary>
/// Bounces that could not be tied to a sending IP (they name none, no rule matched, and the upload chose none),
/// grouped by what could identify them later, and the action that assigns a group to a tracked IP.
/// </summary>
public static class UnattributedBounces
{
    public const string ManualSource = "manual";

    public sealed record Group(string? ReportingMta, string? SenderDomain, int Count, DateTimeOffset LastSeen);

    /// <summary>One group to assign; WholeReportingHost (bulk) takes every unattributed bounce of the reporting MTA, whatever its sender domain.</summary>
    public sealed record Assignment(string? ReportingMta, string? SenderDomain, long SendingIpId, SendingIpRuleKind? RuleKind, bool WholeReportingHost = false);

    public sealed record Outcome(int Updated, bool RuleCreated, string? RulePattern);

    public static async Task<List<Group>> LoadAsync(DeliverabilityDbContext db, int take, CancellationToken ct)
    {
        var groups = await db.Bounces.AsNoTracking()
            .Where(b => b.SendingIpId == null)
            .GroupBy(b => new { b.ReportingMta, b.SenderDomain })
            .Select(g => new { g.Key.ReportingMta, g.Key.SenderDomain, Count = g.Count(), LastSeen = g.Max(b => b.OccurredAt) })
            .OrderByDescending(g => g.Count).ThenBy(g => g.ReportingMta).ThenBy(g => g.SenderDomain)
            .Take(take)
            .ToListAsync(ct);
        return groups.Select(g => new Group(g.ReportingMta, g.SenderDomain, g.Count, g.LastSeen)).ToList();
    }

    /// <summary>Attributes every unattributed bounce of the group to the IP and, if asked, adds a rule so future ones attribute themselves.</summary>
    public static async Task<Outcome> AssignAsync(DeliverabilityDbContext db, Assignment assignment, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var mta = assignment.ReportingMta;
        var domain = assignment.SenderDomain;
        var updated = await db.Bounces
            .Where(b => b.SendingIpId == null && b.ReportingMta == mta && (assignment.WholeReportingHost || b.SenderDomain == domain))
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.SendingIpId, assignment.SendingIpId)
                .SetProperty(b => b.SendingIpSource, ManualSource), ct);

        string? pattern = assignment.RuleKind switch
        {
            SendingIpRuleKind.ReportingMta => mta,
            SendingIpRuleKind.SenderDomain => domain,
            _ => null,
        };
        var created = false;
        if (assignment.RuleKind is { } kind && !string.IsNullOrWhiteSpace(pattern))
        {
            pattern = NormalisePattern(pattern);
            var existing = await db.SendingIpRules.SingleOrDefaultAsync(r => r.Kind == kind && r.Pattern == pattern && r.Instance == null, ct);
            if (existing is null)
            {
                db.SendingIpRules.Add(new SendingIpRule { Kind = kind, Pattern = pattern, SendingIpId = assignment.SendingIpId, CreatedAt = now });
                created = true;
            }
            else
            {
                existing.SendingIpId = assignment.SendingIpId;
            }

            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        return new Outcome(updated, created, pattern);
    }

    public static string NormalisePattern(string pattern) => pattern.Trim().TrimEnd('.').ToLowerInvariant();
}
