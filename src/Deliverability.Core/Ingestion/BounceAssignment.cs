using Deliverability.Core.Data;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Bounces that could not be tied to a sending IP (they name none, no rule matched, and the upload chose none), grouped by what
/// could identify them later, and the change that assigns a group to a tracked IP: the bounces, the rule for future ones, and
/// the IP's diagnosis.
/// </summary>
public sealed class BounceAssignment(IDbContextFactory<DeliverabilityDbContext> dbFactory, IpDiagnosisRequests diagnosis, TimeProvider clock)
{
    public sealed record Group(string? ReportingMta, string? SenderDomain, int Count, DateTimeOffset LastSeen);

    /// <summary>One group to assign; WholeReportingHost (bulk) takes every unattributed bounce of the reporting MTA, whatever its sender domain.</summary>
    public sealed record Assignment(string? ReportingMta, string? SenderDomain, long SendingIpId, SendingIpRuleKind? RuleKind, bool WholeReportingHost = false);

    public sealed record Outcome(int Updated, bool RuleCreated, string? RulePattern);

    /// <summary>The largest groups of unattributed bounces, by reporting MTA and sender domain.</summary>
    public async Task<List<Group>> UnattributedAsync(int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = await db.Bounces.AsNoTracking()
            .Where(b => b.SendingIpId == null)
            .GroupBy(b => new { b.ReportingMta, b.SenderDomain })
            .Select(g => new { g.Key.ReportingMta, g.Key.SenderDomain, Count = g.Count(), LastSeen = g.Max(b => b.OccurredAt) })
            .OrderByDescending(g => g.Count).ThenBy(g => g.ReportingMta).ThenBy(g => g.SenderDomain)
            .Take(take)
            .ToListAsync(ct);
        return groups.Select(g => new Group(g.ReportingMta, g.SenderDomain, g.Count, g.LastSeen)).ToList();
    }

    /// <summary>
    /// Attributes every unattributed bounce of the group to the IP (source <see cref="SendingIpSources.Manual"/>) and, if asked,
    /// adds or re-points a rule so future ones attribute themselves, in one transaction; then asks for the IP's diagnosis.
    /// </summary>
    public async Task<Outcome> AssignAsync(Assignment assignment, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.SendingIps.AnyAsync(ip => ip.Id == assignment.SendingIpId, ct))
        {
            throw new ArgumentException($"There is no tracked sending IP #{assignment.SendingIpId}.", nameof(assignment));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var mta = assignment.ReportingMta;
        var domain = assignment.SenderDomain;
        // The bounces and their hourly counts in one statement (BounceHours.AssignSql).
        await using var assign = new NpgsqlCommand(BounceHours.AssignSql(
                "reporting_mta IS NOT DISTINCT FROM @mta AND (@whole OR sender_domain IS NOT DISTINCT FROM @domain)"),
            (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)tx.GetDbTransaction());
        assign.Parameters.AddWithValue("ip", assignment.SendingIpId);
        assign.Parameters.AddWithValue("source", SendingIpSources.Manual);
        assign.Parameters.Add(new NpgsqlParameter("mta", NpgsqlDbType.Text) { Value = (object?)mta ?? DBNull.Value });
        assign.Parameters.AddWithValue("whole", assignment.WholeReportingHost);
        assign.Parameters.Add(new NpgsqlParameter("domain", NpgsqlDbType.Text) { Value = (object?)domain ?? DBNull.Value });
        var updated = (int)(await assign.ExecuteScalarAsync(ct))!;

        var pattern = assignment.RuleKind switch
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
                db.SendingIpRules.Add(new SendingIpRule { Kind = kind, Pattern = pattern, SendingIpId = assignment.SendingIpId, CreatedAt = clock.GetUtcNow() });
                created = true;
            }
            else
            {
                existing.SendingIpId = assignment.SendingIpId;
            }

            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        if (updated > 0)
        {
            await diagnosis.RequestAsync([assignment.SendingIpId], ct);
        }

        return new Outcome(updated, created, pattern);
    }

    private static string NormalisePattern(string pattern) => pattern.Trim().TrimEnd('.').ToLowerInvariant();
}
