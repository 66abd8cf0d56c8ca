using System.Net;
using Deliverability.Core.Alerts;
using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Deliverability.Core.Remediation;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Checks.Storage;

/// <summary>
/// Runs every DNS check for one sending IP and stores the run, its results and the changes since the previous result of each
/// check+target. Each call is a new run: running it twice stores two runs with the same results and records no change the
/// second time. One run per IP at a time (<see cref="JobClaim"/> "check-ip:{id}": a run killed mid-way holds it for seconds,
/// never the ten minutes a Hangfire lock stayed and kept check workers waiting for it).
/// </summary>
public sealed partial class CheckIpJob(
    DeliverabilityDbContext db,
    IpCheckRunner runner,
    BlocklistSelection settings,
    TimeProvider clock,
    IpDiagnosisRequests diagnosis,
    AlertRequests alerts,
    ILogger<CheckIpJob> logger)
{
    /// <summary>Learned domains and DKIM keys come from bounces of this many days.</summary>
    public const int LearnDays = 30;

    /// <summary>At most this many learned domains, and as many learned DKIM keys, are added to the configured ones.</summary>
    public const int LearnLimit = 20;

    /// <summary>An IP with Outlook/Microsoft 365 block bounces in this many days is treated as blocked for all its domains.</summary>
    public const int BlockedDays = 7;

    /// <summary>
    /// A check a person asked for ("Check now", the API), on the queue the check workers serve first: it never waits behind
    /// a scheduled run over every IP. The same per-IP claim as <see cref="RunAsync"/>, so the two never check one IP at once.
    /// </summary>
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(JobQueues.ChecksNow)]
    public Task RunNowAsync(long sendingIpId, CancellationToken ct) => RunAsync(sendingIpId, nameof(CheckTrigger.Manual), ct);

    /// <summary>How long a check waits for a live run of the same IP to end (a dead run's claim is free after its lease).</summary>
    public static readonly TimeSpan SameIpWait = TimeSpan.FromMinutes(2);

    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail, ExceptOn = [typeof(ArgumentException)])]
    [Queue(JobQueues.Checks)]
    public async Task RunAsync(long sendingIpId, string trigger, CancellationToken ct)
    {
        if (!Enum.TryParse<CheckTrigger>(trigger, ignoreCase: true, out var parsedTrigger) || !Enum.IsDefined(parsedTrigger))
        {
            throw new ArgumentException($"Unknown check trigger '{trigger}' (Scheduled, Manual or Cli).", nameof(trigger));
        }

        int? alertEvents;
        await using (var claim = await JobClaim.TakeAsync(db.Database.GetConnectionString()!, $"check-ip:{sendingIpId}", JobClaim.DefaultLease, SameIpWait, ct))
        {
            if (claim is null)
            {
                throw new TimeoutException($"Sending IP {sendingIpId} was still being checked by another run after {SameIpWait.TotalMinutes:0} minutes.");
            }

            alertEvents = await CheckClaimedAsync(sendingIpId, parsedTrigger, ct);
            if (alertEvents is null)
            {
                return;
            }
        }

        // Outside the try: a failed diagnosis request must not mark the stored run as failed.
        await diagnosis.RefreshAsync([sendingIpId], ct);
        if (alertEvents > 0)
        {
            await alerts.ProcessAsync(ct);
        }
    }

    /// <summary>One run, with the IP's claim held: the number of alert events it recorded; null when the IP no longer exists.</summary>
    private async Task<int?> CheckClaimedAsync(long sendingIpId, CheckTrigger parsedTrigger, CancellationToken ct)
    {
        var ip = await db.SendingIps.AsNoTracking().Where(x => x.Id == sendingIpId)
            .Select(x => new { x.Address, x.Domains, x.DkimSelectors, x.HeloName }).SingleOrDefaultAsync(ct);
        if (ip is null)
        {
            LogIpGone(sendingIpId);
            return null;
        }

        var run = new CheckRun { SendingIpId = sendingIpId, StartedAt = clock.GetUtcNow(), Trigger = parsedTrigger, Status = CheckRunStatus.Running };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync(ct);

        try
        {
            var request = await BuildRequestAsync(sendingIpId, ip.Address, ip.Domains, ip.DkimSelectors, ip.HeloName, ct);
            var trust = runner.BeginRun();
            var results = await runner.RunAsync(request, trust, ct);
            run.DnsHealth = trust.Report().ToJson();
            var alertEvents = await StoreAsync(run, ip.Address.ToString(), results, ct);
            LogRunDone(sendingIpId, run.Id, run.PassCount, run.WarnCount, run.FailCount, run.UnknownCount);
            return alertEvents;
        }
        catch (Exception e)
        {
            db.ChangeTracker.Clear();
            await db.CheckRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, CheckRunStatus.Failed)
                .SetProperty(r => r.FinishedAt, clock.GetUtcNow())
                .SetProperty(r => r.Error, e.Message.Length > 2000 ? e.Message[..2000] : e.Message), CancellationToken.None);
            throw;
        }
    }

    /// <summary>The configured domains and DKIM keys, plus those learned from recent bounces, the HELO name and the blocked state.</summary>
    public async Task<IpCheckRequest> BuildRequestAsync(long sendingIpId, IPAddress address, IReadOnlyList<string> domains,
        IReadOnlyList<string> dkimSelectors, string? helo, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var learnSince = now.AddDays(-LearnDays);
        var blockedSince = now.AddDays(-BlockedDays);
        var learnedDomains = await db.Database.SqlQuery<string>($"""
            SELECT lower(sender_domain) AS "Value" FROM bounces
            WHERE sending_ip_id = {sendingIpId} AND occurred_at >= {learnSince} AND sender_domain IS NOT NULL AND sender_domain <> ''
            GROUP BY lower(sender_domain) ORDER BY count(*) DESC, lower(sender_domain) LIMIT {LearnLimit}
            """).ToListAsync(ct);
        var learnedDkim = await db.Database.SqlQuery<string>($"""
            SELECT lower(d->>'domain') || ':' || (d->>'selector') AS "Value"
            FROM bounces b CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(b.dkim) = 'array' THEN b.dkim ELSE '[]'::jsonb END) d
            WHERE b.sending_ip_id = {sendingIpId} AND b.occurred_at >= {learnSince}
              AND coalesce(d->>'domain', '') <> '' AND coalesce(d->>'selector', '') <> ''
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {LearnLimit}
            """).ToListAsync(ct);
        var blocked = await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (SELECT 1 FROM bounces
              WHERE sending_ip_id = {sendingIpId} AND occurred_at >= {blockedSince}
                AND provider IN ('outlook.com', 'microsoft365') AND provider_code IS NOT NULL
                AND reason IN ('blocked', 'badreputation', 'spamdetected')) AS "Value"
            """).SingleAsync(ct);

        var allDomains = SendingIpCheckConfig.NormaliseDomains(domains.Concat(learnedDomains));
        var selectors = new List<DkimSelector>();
        foreach (var value in dkimSelectors.Concat(learnedDkim))
        {
            if (SendingIpCheckConfig.TryParseSelector(value, out var selector, out _) && !selectors.Contains(selector))
            {
                selectors.Add(selector);
            }
        }

        var stored = await settings.LoadAsync(db, ct);
        return new IpCheckRequest(address, allDomains, selectors, string.IsNullOrWhiteSpace(helo) ? null : helo.Trim(),
            blocked ? allDomains : null, Blocklists: stored.EnabledZones, SpamhausDqsKey: stored.SpamhausDqsKey);
    }

    /// <summary>Stores the results and changes, and the alert events of those changes in the same transaction; returns the events recorded.</summary>
    private async Task<int> StoreAsync(CheckRun run, string address, IReadOnlyList<CheckResult> results, CancellationToken ct)
    {
        var unique = results.DistinctBy(r => r.Key).ToList();
        // The baseline is the latest result that said something: an Unknown neither ends nor starts a listing or a failure.
        var previous = await db.CheckResults.AsNoTracking()
            .Where(r => r.SendingIpId == run.SendingIpId && r.RunId != run.Id && r.Status != CheckStatus.Unknown)
            .GroupBy(r => new { r.Check, r.Target })
            .Select(g => g.OrderByDescending(r => r.RunId).Select(r => new { r.Check, r.Target, r.Status }).First())
            .ToListAsync(ct);
        var before = new Dictionary<string, CheckStatus>(StringComparer.Ordinal);
        foreach (var p in previous)
        {
            before.TryAdd($"{p.Check}|{p.Target}".ToLowerInvariant(), p.Status);
        }

        var now = clock.GetUtcNow();
        var changes = new List<CheckChange>();
        foreach (var result in unique)
        {
            db.CheckResults.Add(new StoredCheckResult
            {
                RunId = run.Id,
                SendingIpId = run.SendingIpId,
                Check = result.Check,
                Target = result.Target,
                Status = result.Status,
                Summary = result.Summary,
                Details = result.Details.ToJsonString(CheckJson.Options),
                Link = result.Link,
                CheckedAt = now,
            });
            if (before.TryGetValue(result.Key, out var was) && CheckChange.IsChange(was, result.Status))
            {
                var change = CheckChange.Describe(result.Check, was, result.Status);
                changes.Add(new CheckChange
                {
                    SendingIpId = run.SendingIpId,
                    RunId = run.Id,
                    Check = result.Check,
                    Target = result.Target,
                    FromStatus = was,
                    ToStatus = result.Status,
                    At = now,
                    Summary = Truncate($"{change}: {result.Summary}", 2000),
                });
            }
        }

        run.Status = CheckRunStatus.Completed;
        run.FinishedAt = now;
        run.PassCount = unique.Count(r => r.Status == CheckStatus.Pass);
        run.WarnCount = unique.Count(r => r.Status == CheckStatus.Warn);
        run.FailCount = unique.Count(r => r.Status == CheckStatus.Fail);
        run.UnknownCount = unique.Count(r => r.Status == CheckStatus.Unknown);
        db.CheckChanges.AddRange(changes);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        var recorded = 0;
        foreach (var alertEvent in changes.Select(c => AlertDetection.CheckChange(c, address)).OfType<AlertEventInput>())
        {
            if (await AlertEvents.RecordAsync(db, alertEvent, now, ct)) recorded++;
        }

        await tx.CommitAsync(ct);
        return recorded;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending IP {SendingIpId} no longer exists: nothing to check")]
    private partial void LogIpGone(long sendingIpId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked sending IP {SendingIpId} (run {RunId}): {Pass} pass, {Warn} warn, {Fail} fail, {Unknown} unknown")]
    private partial void LogRunDone(long sendingIpId, long runId, int pass, int warn, int fail, int unknown);
}
