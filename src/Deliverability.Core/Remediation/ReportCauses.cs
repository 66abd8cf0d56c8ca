using System.Globalization;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Causes read from receivers' DMARC aggregate reports: real mail from the IP failing DMARC or aligned DKIM, per reporter and From domain,
/// with the signatures (domain and selector) that failed. No report covering the IP raises nothing: what receivers saw is then unknown.
/// </summary>
internal static class ReportCauses
{
    public static void Add(List<PlannedItem> items, CauseContext context)
    {
        var evidence = context.Evidence;
        var lines = new List<RemediationEvidence>();
        foreach (var s in evidence.DmarcReports.Where(s => s.Messages >= RemediationRules.ReportedMinimumMessages))
        {
            var domain = s.HeaderFrom ?? "an unnamed From domain";
            var span = s.First == s.Last ? Day(s.First) : $"{Day(s.First)} to {Day(s.Last)}";
            var at = CauseContext.DayStart(s.Last);
            var dmarcFailed = s.Messages - s.DmarcPass;
            if (Significant(dmarcFailed, s.Messages))
            {
                lines.Add(new($"{s.Reporter}'s reports: DMARC fails for {Share(dmarcFailed, s.Messages)} of mail from this IP for {domain} " +
                    $"({dmarcFailed} of {s.Messages} messages, {span}; aligned SPF passes for {s.SpfAlignedPass})", context.Link(RemediationRules.ReportsLink), at));
            }

            var dkimFailed = s.Messages - s.DkimAlignedPass;
            if (Significant(dkimFailed, s.Messages))
            {
                var failing = evidence.DmarcSignatures.Where(d => d.Reporter == s.Reporter && d.HeaderFrom == s.HeaderFrom && d.Failed > 0)
                    .OrderByDescending(d => d.Failed).ThenBy(d => d.Domain, StringComparer.Ordinal).ThenBy(d => d.Selector, StringComparer.Ordinal)
                    .Select(d => $"selector {d.Selector ?? "(none reported)"} of {d.Domain ?? "(no domain reported)"} failing for {d.Failed} of {d.Messages}")
                    .ToList();
                var where = failing.Count == 0 ? "no failing signature in the reports: unsigned, or signed for another domain" : string.Join("; ", failing);
                lines.Add(new($"{s.Reporter}'s reports: DKIM fails for {Share(dkimFailed, s.Messages)} of mail from this IP for {domain} " +
                    $"({dkimFailed} of {s.Messages} messages, {span}): {where}", context.Link(RemediationRules.ReportsLink), at));
            }
        }

        if (lines.Count > 0)
        {
            items.Add(new("receiver-reports", RemediationCause.ReportedAuthFailures, "Fix the DKIM and SPF failures receivers report",
                "For each domain and selector listed: sign that stream with a key published at selector._domainkey of the From domain (or a domain " +
                "aligned with it); for SPF, send with an envelope domain aligned with the From domain whose SPF record includes this IP. Mail that " +
                "is not yours (another sender using your domain) shows on the domain's page.",
                RemediationVerification.Manual, "Ticked by an operator once reports received after the fix show DMARC passing for this IP.", lines, 64));
        }
    }

    private static bool Significant(long failed, long messages) => failed > 0 && failed >= messages * RemediationRules.ReportedFailureShare;

    private static string Share(long part, long whole) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(100.0 * part / whole, MidpointRounding.AwayFromZero):0}%");

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
