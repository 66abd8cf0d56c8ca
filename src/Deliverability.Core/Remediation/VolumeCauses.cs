using System.Globalization;
using Deliverability.Core.Bounces;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>Causes of the volume family: a sudden volume change, rate limits, a new IP without history.</summary>
public static class VolumeCauses
{
    private static readonly string[] RateLimitCodes = ["RP-001", "RP-002", "RP-003", "4.7.650", "4.7.651", "4.7.652", "4.7.500-699", "4.7.850-899"];

    public sealed record Jump(DateOnly Day, int Attempts, double Average);

    /// <summary>The latest day of the last 7 whose attempts exceed <see cref="RemediationRules.VolumeJumpFactor"/> times the 7 days before it.</summary>
    public static Jump? VolumeJump(IpEvidence evidence)
    {
        var byDay = evidence.LogDays.GroupBy(d => d.Day).ToDictionary(g => g.Key, g => g.Sum(d => d.Attempts));
        var today = DateOnly.FromDateTime(evidence.Now.UtcDateTime);
        for (var day = today; day > today.AddDays(-7); day = day.AddDays(-1))
        {
            var attempts = byDay.GetValueOrDefault(day);
            if (attempts < RemediationRules.VolumeJumpMinimumAttempts) continue;
            var average = Enumerable.Range(1, 7).Sum(i => byDay.GetValueOrDefault(day.AddDays(-i))) / 7.0;
            // Without any traffic before, it is a new IP, not a change.
            if (average > 0 && attempts > RemediationRules.VolumeJumpFactor * average) return new Jump(day, attempts, average);
        }

        return null;
    }

    internal static void Add(List<PlannedItem> items, CauseContext context)
    {
        var evidence = context.Evidence;

        // Sudden volume change.
        if (VolumeJump(evidence) is { } jump)
        {
            items.Add(new("volume-change", RemediationCause.SuddenVolumeChange, "Smooth out the sending volume",
                "Spread large sends over several days and ramp up by at most about double per day; providers throttle and then block IPs whose volume jumps.",
                RemediationVerification.Manual, "Ticked by an operator once sending is rate-limited per day.",
                [new(string.Create(CultureInfo.InvariantCulture,
                    $"{jump.Attempts} attempts on {jump.Day:d MMM}, {jump.Attempts / Math.Max(jump.Average, 1):0.#}x the previous 7 days' average of {jump.Average:0}"),
                    context.Link(RemediationRules.ActivityLink), CauseContext.DayStart(jump.Day))], 90));
        }

        // Rate limits.
        var rateLimited = context.CodesWhere(c => CauseContext.CodeIn(c, RateLimitCodes) || c.Known is { Temporary: true, Cause: ProviderCodeCause.RateLimit or ProviderCodeCause.ConnectionLimit });
        foreach (var reason in evidence.Reasons.Where(r => r.Reason is BounceReasons.Speeding or BounceReasons.TooManyConn).OrderByDescending(r => r.Last))
        {
            rateLimited.Add(new($"{CauseContext.Count(reason.Count, reason.Delay ? "delay" : "bounce")} for {reason.Reason}", CauseContext.Upload(reason.LatestBatchId) ?? context.Link(RemediationRules.BouncesLink), reason.Last));
        }

        if (rateLimited.Count > 0)
        {
            items.Add(new("rate-limits", RemediationCause.RateLimited, "Slow down to the throttling providers",
                "Lower the MTA's concurrency and rate to the provider (for Outlook.com treat all its MX hosts as one destination: at most a few " +
                "connections and messages per connection), keep retrying deferred mail with back-off, and never push harder through 4xx replies: " +
                "ignoring them turns into a block (S3150).",
                RemediationVerification.Manual, "Ticked by an operator once the MTA's per-destination limits are lowered.", rateLimited, 100));
        }

        // New IP without history.
        var attempts = evidence.LogAttempts;
        var young = evidence.FirstActivityAt is { } first && first > evidence.Now.AddDays(-RemediationRules.YoungIpDays);
        // Without MTA logs the volume is unknown, so only the age can say the IP has no history.
        var lowVolume = evidence.LogDays.Count > 0 && attempts < RemediationRules.LowVolumeAttempts;
        var pushback = context.Codes.Where(c => c.Known is { } k && (k.Temporary && k.Cause is ProviderCodeCause.Reputation or ProviderCodeCause.RateLimit or ProviderCodeCause.ConnectionLimit
            || CauseContext.CodeIn(c, RateLimitCodes))).ToList();
        if (evidence.FirstActivityAt is not null && (young || lowVolume) && pushback.Count > 0)
        {
            var list = new List<RemediationEvidence>
            {
                young
                    ? new($"First activity {IpVerdict.FormatTime(evidence.FirstActivityAt.Value)}, less than {RemediationRules.YoungIpDays} days ago", context.Link(RemediationRules.ActivityLink), evidence.FirstActivityAt)
                    : new($"Only {attempts} logged attempts in {RemediationRules.EvidenceDays} days", context.Link(RemediationRules.ActivityLink)),
            };
            list.AddRange(pushback.OrderByDescending(c => c.Sighting.Last).ThenBy(c => c.Sighting.Code, StringComparer.Ordinal).Select(context.CodeEvidence));
            items.Add(new("new-ip", RemediationCause.NewIpWithoutHistory, "Warm up the IP",
                "Follow a warm-up plan: start with a few hundred messages a day to your most engaged recipients, roughly double each day while " +
                "replies stay clean, and back off for a day whenever the provider defers (4.7.650, RP-00x). Register the IP in SNDS to watch it.",
                RemediationVerification.Manual, "Ticked by an operator once the warm-up plan is in place.", list, 110));
        }
    }
}
