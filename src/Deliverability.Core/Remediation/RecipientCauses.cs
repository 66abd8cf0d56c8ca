using System.Globalization;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Causes of the recipient family: mail to unknown users and a high bounce rate, from recipient failures only (never a policy,
/// reputation or content refusal), from bounces and log lines alike.
/// </summary>
public static class RecipientCauses
{
    /// <summary>The windows recipient-failure rates are judged over, shortest first: a burst shows in the short ones, a slow leak in 30 days.</summary>
    public static readonly IReadOnlyList<int> RateWindowDays = [1, 3, RemediationRules.EvidenceDays];

    public sealed record Rate(int Failures, int Attempts, int Days, bool FromLogs, DateTimeOffset? Last, string? Href)
    {
        public string Text(string what) => FromLogs
            ? string.Create(CultureInfo.InvariantCulture, $"{Failures} of {Attempts} messages in the last {(Days == 1 ? "24 hours" : $"{Days} days")} refused {what} ({(double)Failures / Attempts:P1})")
            : string.Create(CultureInfo.InvariantCulture, $"{Failures} bounces {what} in {Days} days (no MTA log to count what was sent)");
    }

    /// <summary>
    /// The first window whose recipient failures exceed <paramref name="share"/> of the messages attempted in it (log deliveries plus
    /// refusals, at least <see cref="RemediationRules.MinimumAttempts"/>); without that many attempts, <paramref name="countWithoutLogs"/> failures in 30 days.
    /// </summary>
    public static Rate? RecipientRate(IpEvidence evidence, Func<Refusal, bool> failure, double share, int countWithoutLogs)
    {
        foreach (var days in RateWindowDays)
        {
            var from = evidence.Now.AddDays(-days);
            var finals = evidence.Refusals.Where(r => !r.Delay && r.At >= from && r.At <= evidence.Now).ToList();
            var failures = finals.Where(failure).ToList();
            if (failures.Count == 0) continue;
            var attempts = evidence.LogDeliveries.Where(h => h.Hour.AddHours(1) > from && h.Hour <= evidence.Now).Sum(h => h.Sent) + finals.Count;
            if (!evidence.HasLogs || attempts < RemediationRules.MinimumAttempts || (double)failures.Count / attempts <= share) continue;
            var last = failures.MaxBy(r => r.At)!;
            return new Rate(failures.Count, attempts, days, true, last.At, last.BatchId is { } b ? $"/uploads/{b}" : null);
        }

        var month = evidence.Refusals.Where(r => r.At >= evidence.Now.AddDays(-RemediationRules.EvidenceDays) && r.At <= evidence.Now && failure(r)).ToList();
        var reports = evidence.Refusals.Count(r => !r.Delay && r.At >= evidence.Now.AddDays(-RemediationRules.EvidenceDays) && r.At <= evidence.Now);
        var enoughLogs = evidence.HasLogs && evidence.LogDeliveries.Sum(h => h.Sent) + reports >= RemediationRules.MinimumAttempts;
        if (enoughLogs || month.Count < countWithoutLogs || (double)month.Count / reports <= share) return null;
        var newest = month.MaxBy(r => r.At)!;
        return new Rate(month.Count, reports, RemediationRules.EvidenceDays, false, newest.At, newest.BatchId is { } id ? $"/uploads/{id}" : null);
    }

    internal static void Add(List<PlannedItem> items, CauseContext context)
    {
        var evidence = context.Evidence;

        // Judged over the last day, 3 days and 30 days so that a burst is not averaged away.
        var unknown = context.CodesWhere(c => c.Known?.Cause == ProviderCodeCause.NamespaceMining);
        if (RecipientRate(evidence, r => r.IsUnknownUser, RemediationRules.UnknownUserShare, RemediationRules.UnknownUserReportsWithoutLogs) is { } unknownRate)
        {
            unknown.Add(new(unknownRate.Text("for unknown users"), unknownRate.Href ?? context.Link(unknownRate.FromLogs ? RemediationRules.ActivityLink : RemediationRules.BouncesLink), unknownRate.Last));
        }

        if (unknown.Count > 0)
        {
            items.Add(new("unknown-users", RemediationCause.UnknownRecipients, "Stop mailing addresses that do not exist",
                "Remove every address that bounced as unknown after the first hard bounce, stop any address 'verification' by RCPT probing, " +
                "and use confirmed opt-in for new sign-ups.",
                RemediationVerification.Manual, "Ticked by an operator once hard-bounced addresses are suppressed.", unknown, 70));
        }

        if (RecipientRate(evidence, r => r.IsRecipientFailure, RemediationRules.HardBounceShare, RemediationRules.HardBounceReportsWithoutLogs) is { } bounceRate)
        {
            items.Add(new("high-bounce-rate", RemediationCause.HighBounceRate, "Bring the bounce rate down",
                "Suppress hard-bounced addresses automatically, re-confirm or drop addresses that have not engaged in a year, and never import " +
                "old or bought lists. Keep hard bounces under 2 % of what you send.",
                RemediationVerification.Manual, "Ticked by an operator once bounce handling suppresses addresses.",
                [new(bounceRate.Text("for recipients that do not take mail (unknown, full, moved)"), bounceRate.Href ?? context.Link(bounceRate.FromLogs ? RemediationRules.ActivityLink : RemediationRules.BouncesLink), bounceRate.Last)], 80));
        }
    }
}
