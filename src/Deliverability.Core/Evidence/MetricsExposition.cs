using System.Globalization;
using System.Text;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Evidence;

/// <summary>
/// The figures <c>/metrics</c> exposes, read from the database at scrape time, written in the Prometheus text exposition
/// format 0.0.4. A figure nobody measured (an IP never scored, no check run yet) is left out rather than written as 0.
/// </summary>
public static class MetricsExposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static async Task<string> WriteAsync(DeliverabilityDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dayAgo = now.AddHours(-24);
        var hourAgo = now.AddHours(-1);
        var text = new MetricsText();

        var ips = await (from ip in db.SendingIps.AsNoTracking()
                         join s in db.IpStatus on ip.Id equals s.SendingIpId into statuses
                         from s in statuses.DefaultIfEmpty()
                         orderby ip.Address
                         select new { ip.Id, ip.Address, Health = s == null ? IpHealth.NoData : s.Health, ListedOn = s == null ? 0 : s.ListedOn, SenderScore = s == null ? null : s.SenderScore })
            .ToListAsync(ct);
        var address = ips.ToDictionary(i => i.Id, i => i.Address.ToString());

        text.Family("deliverability_sending_ip_status", "gauge", "1 for the status the last diagnosis gave the sending IP, 0 for the others.");
        foreach (var ip in ips)
        {
            foreach (var health in Enum.GetValues<IpHealth>())
            {
                text.Sample("deliverability_sending_ip_status", [("ip", address[ip.Id]), ("status", health.ToString())], ip.Health == health ? 1 : 0);
            }
        }

        text.Family("deliverability_sending_ip_listed_lists", "gauge", "Blocklists the sending IP is listed on (checks and blocklists named by refusals), as the last diagnosis counted them.");
        foreach (var ip in ips) text.Sample("deliverability_sending_ip_listed_lists", [("ip", address[ip.Id])], ip.ListedOn);

        text.Family("deliverability_sending_ip_sender_score", "gauge", "Validity Sender Score (0-100) of the sending IP's newest check; absent when unknown.");
        foreach (var ip in ips.Where(i => i.SenderScore is not null)) text.Sample("deliverability_sending_ip_sender_score", [("ip", address[ip.Id])], ip.SenderScore!.Value);

        var families = await db.BounceHours.AsNoTracking().Where(h => h.Hour >= dayAgo)
            .GroupBy(h => new { h.SendingIpId, h.Family }).Select(g => new { g.Key.SendingIpId, g.Key.Family, Count = g.Sum(h => h.Bounces) })
            .ToListAsync(ct);
        text.Family("deliverability_bounces_24h", "gauge", "Bounces and delays reported for the sending IP in the last 24 hours, by reason family.");
        foreach (var f in families.Where(f => address.ContainsKey(f.SendingIpId)).OrderBy(f => address[f.SendingIpId], StringComparer.Ordinal).ThenBy(f => f.Family, StringComparer.Ordinal))
        {
            text.Sample("deliverability_bounces_24h", [("ip", address[f.SendingIpId]), ("family", f.Family)], f.Count);
        }

        var ingested = await db.IngestBatches.AsNoTracking().SumAsync(b => (long)b.MessageCount, ct);
        var lastHour = await db.IngestBatches.AsNoTracking().Where(b => b.FinishedAt >= hourAgo).SumAsync(b => (long)b.MessageCount, ct);
        var waiting = await db.IngestBatches.AsNoTracking().Where(b => b.SubmittedAt != null && (b.Status == IngestStatus.Pending || b.Status == IngestStatus.Running))
            .Select(b => b.SubmittedAt).ToListAsync(ct);
        var failedBatches = await db.IngestBatches.AsNoTracking().CountAsync(b => b.Status == IngestStatus.Failed, ct);
        text.Family("deliverability_ingest_messages_total", "counter", "Messages read by every ingest batch so far.");
        text.Sample("deliverability_ingest_messages_total", [], ingested);
        text.Family("deliverability_ingest_messages_last_hour", "gauge", "Messages read by ingest batches that finished in the last hour (throughput).");
        text.Sample("deliverability_ingest_messages_last_hour", [], lastHour);
        text.Family("deliverability_ingest_batches_waiting", "gauge", "Submitted ingest batches not finished yet.");
        text.Sample("deliverability_ingest_batches_waiting", [], waiting.Count);
        text.Family("deliverability_ingest_lag_seconds", "gauge", "How long the oldest unfinished submitted batch has waited; 0 when none waits.");
        text.Sample("deliverability_ingest_lag_seconds", [], waiting.Count == 0 ? 0 : Math.Max(0, (now - waiting.Min()!.Value).TotalSeconds));

        var runs = await db.CheckRuns.AsNoTracking().Where(r => r.StartedAt >= dayAgo)
            .Select(r => new { r.SendingIpId, r.Status, r.StartedAt, r.FinishedAt }).ToListAsync(ct);
        text.Family("deliverability_job_failures", "gauge", "Failed jobs: check runs that failed in the last 24 hours, ingest batches in the failed state.");
        text.Sample("deliverability_job_failures", [("job", "check_run")], runs.Count(r => r.Status == CheckRunStatus.Failed));
        text.Sample("deliverability_job_failures", [("job", "ingest_batch")], failedBatches);

        var finished = runs.Where(r => r.Status == CheckRunStatus.Completed && r.FinishedAt is not null)
            .Select(r => (r.SendingIpId, Seconds: (r.FinishedAt!.Value - r.StartedAt).TotalSeconds)).ToList();
        text.Family("deliverability_check_run_duration_seconds", "summary", "Duration of the check runs completed in the last 24 hours.");
        text.Sample("deliverability_check_run_duration_seconds_count", [], finished.Count);
        text.Sample("deliverability_check_run_duration_seconds_sum", [], finished.Sum(r => r.Seconds));
        text.Family("deliverability_check_run_last_duration_seconds", "gauge", "Duration of the sending IP's newest check run completed in the last 24 hours.");
        var last = runs.Where(r => r.Status == CheckRunStatus.Completed && r.FinishedAt is not null && address.ContainsKey(r.SendingIpId))
            .GroupBy(r => r.SendingIpId).Select(g => g.MaxBy(r => r.FinishedAt)!).OrderBy(r => address[r.SendingIpId], StringComparer.Ordinal);
        foreach (var r in last) text.Sample("deliverability_check_run_last_duration_seconds", [("ip", address[r.SendingIpId])], (r.FinishedAt!.Value - r.StartedAt).TotalSeconds);

        return text.ToString();
    }

    /// <summary>The exposition format's lines: HELP and TYPE once per family, label values escaped (backslash, quote, newline).</summary>
    private sealed class MetricsText
    {
        private readonly StringBuilder _text = new();

        public void Family(string name, string type, string help) =>
            _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n')
                .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

        public void Sample(string name, IReadOnlyList<(string Name, string Value)> labels, double value)
        {
            _text.Append(name);
            if (labels.Count > 0)
            {
                _text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
            }

            _text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        private static string Escape(string value) =>
            value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

        public override string ToString() => _text.ToString();
    }
}
