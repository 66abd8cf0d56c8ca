using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;

namespace Deliverability.Core.Checks;

/// <summary>
/// Outlook.com's 2025 rule for domains sending over 5,000 messages a day: SPF pass, DKIM pass, DMARC at least p=none
/// aligned with SPF or DKIM, else "550 5.7.515 Access denied, sending domain ... does not meet the required authentication level".
/// Computed from the other results: this IP's SPF result, the domain's DKIM key results and its DMARC result.
/// DKIM is judged by the published key only (no message is signed here); alignment assumes the domain is both the
/// From domain and the SPF (MAIL FROM) domain, and DKIM keys count when their domain aligns with it.
/// </summary>
public static class OutlookHighVolumeRule
{
    public const string Name = "outlook-high-volume";

    public static CheckResult Evaluate(string domain, CheckResult spf, IReadOnlyList<CheckResult> dkim, CheckResult dmarc)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        var missing = new List<string>();
        var unknown = new List<string>();
        var strictDkim = dmarc.EvidenceAs<DmarcEvidence>()?.Record?.StrictDkim == true;
        var alignedDkim = dkim.Where(d => Aligns(d.EvidenceAs<DkimEvidence>()?.Domain ?? "", domain, strictDkim)).ToList();

        if (spf.Status == CheckStatus.Unknown) unknown.Add("SPF");
        else if (spf.Status != CheckStatus.Pass) missing.Add("SPF pass");

        if (alignedDkim.Count == 0) missing.Add("a DKIM key for an aligned domain (give --dkim domain:selector)");
        else if (!alignedDkim.Any(DkimCheck.HasUsableKey))
        {
            if (alignedDkim.Any(d => d.Status == CheckStatus.Unknown)) unknown.Add("DKIM");
            else missing.Add("a valid DKIM key");
        }

        if (dmarc.Status == CheckStatus.Unknown) unknown.Add("DMARC");
        else if (dmarc.Status == CheckStatus.Fail) missing.Add("a valid DMARC record (p=none at least)");

        var evidence = new OutlookHighVolumeEvidence(domain, spf.Status, alignedDkim.Select(d => new SelectorStatus(d.Target, d.Status)).ToList(), dmarc.Status, missing, unknown);
        var (status, summary) = (missing.Count, unknown.Count) switch
        {
            (0, 0) => (CheckStatus.Pass, $"{domain} meets Outlook's high-volume sender rule (SPF pass, DKIM key, DMARC, aligned)."),
            (0, _) => (CheckStatus.Unknown, $"Cannot tell whether {domain} meets Outlook's high-volume rule: {string.Join(", ", unknown)} lookups failed."),
            _ => (CheckStatus.Warn, $"{domain} lacks {string.Join(", ", missing)}: Outlook.com rejects high-volume mail with 550 5.7.515 (domain does not meet the required authentication level)."),
        };
        return CheckResult.Create(Name, domain, status, summary, evidence, CheckLinks.OutlookHighVolume);
    }

    private static bool Aligns(string keyDomain, string domain, bool strict) =>
        strict ? keyDomain.Equals(domain, StringComparison.OrdinalIgnoreCase)
               : OrganizationalDomain.Of(keyDomain) == OrganizationalDomain.Of(domain);
}

public sealed record SelectorStatus(string Key, CheckStatus Status);

public sealed record OutlookHighVolumeEvidence(string Domain, CheckStatus Spf, IReadOnlyList<SelectorStatus> Dkim, CheckStatus Dmarc, IReadOnlyList<string> Missing, IReadOnlyList<string> Unknown);
