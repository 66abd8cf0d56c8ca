using System.Net;
using Deliverability.Core.Data;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Re-decides which sending IP every stored log line belongs to from the current attribution rules (after a rule is
/// added, changed or removed, an IP is tracked, or on re-parse), rebuilds the hourly counts of the hosts whose lines
/// moved and re-diagnoses the IPs that gained or lost lines. A log uploaded before its rule existed ends up attributed
/// without being uploaded again.
/// </summary>
public sealed class MtaLogAttribution(DeliverabilityDbContext db, IpDiagnosisRequests diagnosis)
{
    public sealed record Outcome(int LinesMoved, IReadOnlyList<long> AffectedSendingIpIds);

    public async Task<Outcome> ReattributeAsync(CancellationToken ct)
    {
        var outcome = await ReattributeLinesAsync(ct);
        await diagnosis.RequestAsync(outcome.AffectedSendingIpIds, ct);
        return outcome;
    }

    /// <summary>The re-attribution alone (the caller diagnoses, e.g. re-parse diagnoses every IP afterwards).</summary>
    public async Task<Outcome> ReattributeLinesAsync(CancellationToken ct)
    {
        var rules = await db.SendingIpRules.AsNoTracking().Include(r => r.SendingIp).ToListAsync(ct);
        var tracked = await db.SendingIps.AsNoTracking().ToDictionaryAsync(x => x.Address, x => x.Id, ct);
        var attributors = new Dictionary<long, SendingIpAttributor>();
        SendingIpAttributor For(long? uploadDefault)
        {
            var key = uploadDefault ?? 0;
            if (!attributors.TryGetValue(key, out var attributor))
            {
                attributor = new SendingIpAttributor(rules, uploadDefault);
                attributors[key] = attributor;
            }

            return attributor;
        }

        // Lines are decided by what a rule can match on; there are few such combinations even in millions of lines.
        var groups = await (
            from d in db.MtaLogDeliveries
            join f in db.IngestFiles on d.FileId equals f.Id
            join b in db.IngestBatches on f.BatchId equals b.Id
            group d by new { d.LogHost, d.Instance, d.Program, d.Transport, d.LocalIp, d.SenderDomain, b.DefaultSendingIpId, d.SendingIpId } into g
            select new LineGroup(g.Key.LogHost, g.Key.Instance, g.Key.Program, g.Key.Transport, g.Key.LocalIp, g.Key.SenderDomain,
                g.Key.DefaultSendingIpId, g.Key.SendingIpId)).ToListAsync(ct);

        var moved = 0;
        var affected = new HashSet<long>();
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var group in groups)
        {
            var ipId = For(group.UploadDefault).AttributeLogLine(group.LogHost, group.SenderDomain, group.LocalIp, group.Program, group.Instance,
                group.Transport, tracked);
            if (ipId == group.SendingIpId)
            {
                continue;
            }

            var files = db.IngestFiles.Where(f => db.IngestBatches.Any(b => b.Id == f.BatchId && b.DefaultSendingIpId == group.UploadDefault)).Select(f => f.Id);
            moved += await db.MtaLogDeliveries
                .Where(d => d.LogHost == group.LogHost && d.Instance == group.Instance && d.Program == group.Program && d.Transport == group.Transport
                    && d.LocalIp == group.LocalIp && d.SenderDomain == group.SenderDomain && d.SendingIpId == group.SendingIpId && files.Contains(d.FileId))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.SendingIpId, ipId), ct);
            hosts.Add(group.LogHost);
            if (group.SendingIpId is { } before)
            {
                affected.Add(before);
            }

            if (ipId is { } after)
            {
                affected.Add(after);
            }
        }

        await MtaLogHourCounts.RebuildAsync(db, hosts, ct);
        await tx.CommitAsync(ct);
        return new Outcome(moved, [.. affected.Order()]);
    }

    private sealed record LineGroup(string LogHost, string Instance, string Program, string? Transport, IPAddress? LocalIp, string? SenderDomain,
        long? UploadDefault, long? SendingIpId);
}
