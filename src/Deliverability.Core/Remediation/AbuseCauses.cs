using System.Globalization;
using Deliverability.Core.Bounces;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>Causes of the abuse family: a compromised host or account, spam complaints, spam content.</summary>
public static class AbuseCauses
{
    private static readonly string[] ContentReasons = [BounceReasons.SpamDetected, BounceReasons.PolicyViolation, BounceReasons.ContentError, BounceReasons.VirusDetected];

    public sealed record LoginSpike(string User, DateTimeOffset Hour, int Succeeded, double Median);

    /// <summary>Hours in which a user logged in more than <see cref="RemediationRules.LoginSpikeFactor"/> times their median hour and more than <see cref="RemediationRules.LoginSpikeMinimum"/> times.</summary>
    public static IReadOnlyList<LoginSpike> LoginSpikes(IReadOnlyList<LoginHour> logins) =>
        logins.GroupBy(l => l.User, StringComparer.OrdinalIgnoreCase)
            .SelectMany(g =>
            {
                var hours = g.GroupBy(l => l.Hour).Select(h => (Hour: h.Key, Count: h.Sum(x => x.Succeeded))).Where(h => h.Count > 0).ToList();
                var median = Median(hours.Select(h => h.Count).ToList());
                return hours.Where(h => h.Count > RemediationRules.LoginSpikeMinimum && h.Count > RemediationRules.LoginSpikeFactor * median)
                    .Select(h => new LoginSpike(g.Key, h.Hour, h.Count, median));
            })
            .OrderByDescending(s => s.Hour).ThenBy(s => s.User, StringComparer.Ordinal)
            .ToList();

    internal static void Add(List<PlannedItem> items, CauseContext context)
    {
        var evidence = context.Evidence;

        // Compromised host or account: the provider says so, or a user's logins spike.
        var compromised = context.CodesWhere(c => c.Known?.Cause is ProviderCodeCause.InfectedHost or ProviderCodeCause.OpenRelay);
        foreach (var spike in LoginSpikes(evidence.Logins))
        {
            compromised.Add(new(string.Create(CultureInfo.InvariantCulture,
                $"{spike.Succeeded} logins by {spike.User} in one hour ({IpVerdict.FormatTime(spike.Hour)}), usually {spike.Median:0.#} an hour"),
                context.Link(RemediationRules.ActivityLink), spike.Hour));
        }

        if (compromised.Count > 0)
        {
            items.Add(new("compromised-host", RemediationCause.CompromisedHost, "Find and clean the compromised host or account",
                "Look for malware, open relay or proxy settings and stolen SMTP passwords: reset the passwords of the users with login spikes, " +
                "close open relaying (only authenticated users and your own networks may relay), scan the server and the PCs behind it, and " +
                "check the mail queue for spam before asking for delisting.",
                RemediationVerification.Manual, "Ticked by an operator once the host and accounts are clean.", compromised, 20));
        }

        // Spam complaints.
        var complaints = new List<RemediationEvidence>();
        var complaintsEvident = false;
        var c0 = evidence.Complaints;
        if (c0.Count > 0)
        {
            var rate = evidence.LogSent > 0 ? (decimal)c0.Count / evidence.LogSent : (decimal?)null;
            complaintsEvident |= c0.Count >= RemediationRules.ComplaintCount || rate > RemediationRules.ComplaintRate;
            complaints.Add(new(CauseContext.Count(c0.Count, "spam complaint") + " from feedback loops (ARF/JMRP)" +
                (rate is { } r ? string.Create(CultureInfo.InvariantCulture, $", {r:P2} of delivered messages") : ""),
                CauseContext.Upload(c0.LatestBatchId) ?? context.Link(RemediationRules.ActivityLink), c0.Last));
        }

        var snds = evidence.SndsDays.Where(d => d.Day >= DateOnly.FromDateTime(context.Since.UtcDateTime)).ToList();
        if (snds.Where(d => d.ComplaintRate > RemediationRules.ComplaintRate).ToList() is { Count: > 0 } highRate)
        {
            complaintsEvident = true;
            var worst = highRate.OrderByDescending(d => d.ComplaintRate).ThenByDescending(d => d.Day).First();
            complaints.Add(new(string.Create(CultureInfo.InvariantCulture,
                $"SNDS complaint rate above 0.3 % on {CauseContext.Count(highRate.Count, "day")} (worst {worst.ComplaintRate:P2} on {worst.Day:d MMM})"),
                context.Link(RemediationRules.ActivityLink), CauseContext.DayStart(worst.Day)));
        }

        if (snds.Where(d => d.FilterResult is "RED" or "YELLOW").ToList() is { Count: > 0 } filtered)
        {
            complaintsEvident = true;
            complaints.Add(new($"SNDS filter result RED or YELLOW on {CauseContext.Count(filtered.Count, "day")} (last {filtered.Max(d => d.Day).ToString("d MMM", CultureInfo.InvariantCulture)})",
                context.Link(RemediationRules.ActivityLink), CauseContext.DayStart(filtered.Max(d => d.Day))));
        }

        if (snds.Sum(d => d.TrapHits) is > 0 and var traps)
        {
            complaintsEvident = true;
            complaints.Add(new($"{CauseContext.Count(traps, "spam trap hit")} in SNDS", context.Link(RemediationRules.ActivityLink), CauseContext.DayStart(snds.Where(d => d.TrapHits > 0).Max(d => d.Day))));
        }

        if (context.CodesWhere(c => c.Known?.Cause == ProviderCodeCause.Complaints) is { Count: > 0 } complaintCodes)
        {
            complaintsEvident = true;
            complaints.AddRange(complaintCodes);
        }

        if (complaintsEvident)
        {
            items.Add(new("spam-complaints", RemediationCause.SpamComplaints, "Stop the spam complaints",
                "Join Microsoft JMRP and Yahoo's complaint feedback loop, unsubscribe every complainer at once, send only to people who opted in, " +
                "add a one-click List-Unsubscribe header, and remove addresses that hit spam traps (old or bought lists).",
                RemediationVerification.Manual, "Ticked by an operator once complainers are suppressed and the list is cleaned.", complaints, 30));
        }

        // Spam volume or content.
        var content = context.CodesWhere(c => c.Known?.Cause == ProviderCodeCause.Content || CauseContext.CodeIn(c, ["SC-001", "OU-002"]));
        foreach (var reason in evidence.Reasons.Where(r => ContentReasons.Contains(r.Reason)).OrderByDescending(r => r.Last))
        {
            content.Add(new($"{CauseContext.Count(reason.Count, "bounce")} refused as {reason.Reason}", CauseContext.Upload(reason.LatestBatchId) ?? context.Link(RemediationRules.BouncesLink), reason.Last));
        }

        if (content.Count > 0)
        {
            items.Add(new("spam-content", RemediationCause.SpamContent, "Clean up what the IP sends",
                "Find who or what sends the refused mail (look at the bounced messages' senders and subjects), stop bulk or unsolicited sending " +
                "from this IP, remove spammy content and URL shorteners, and keep newsletters on a separate IP or service.",
                RemediationVerification.Manual, "Ticked by an operator once the sending is cleaned up.", content, 40));
        }
    }

    private static double Median(List<int> values)
    {
        if (values.Count == 0) return 0;
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
    }
}
