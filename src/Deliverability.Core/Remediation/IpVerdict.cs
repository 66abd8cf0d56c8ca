using Deliverability.Core.Ips;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>The one-sentence verdict and next step of an IP, as the IP page and the IP list show them.</summary>
public static class IpVerdict
{
    /// <summary>How people know a provider key: "outlook.com" is "Outlook.com", "microsoft365" is "Microsoft 365".</summary>
    public static string ProviderName(string? provider) => ProviderNames.Display(provider);

    /// <summary>"27 Nov 14:02 UTC".</summary>
    public static string FormatTime(DateTimeOffset time) => TimeText.WithoutYear(time);

    /// <summary>
    /// "Blocked by Outlook.com since 27 Nov 14:02 UTC (S3150): the IP (or its range) is on Outlook.com's own block list."
    /// When the block started with another code (<paramref name="firstCode"/>), both: "(S3150, now SC-001)", and the meaning
    /// is the current code's.
    /// </summary>
    public static string Blocked(string provider, string code, DateTimeOffset since, string? firstCode = null)
    {
        var meaning = ProviderCodeCatalog.Find(provider, code)?.Meaning;
        var codes = firstCode is null || string.Equals(firstCode, code, StringComparison.OrdinalIgnoreCase) ? code : $"{firstCode}, now {code}";
        var sentence = $"Blocked by {ProviderName(provider)} since {FormatTime(since)} ({codes})";
        return meaning is null ? sentence + "." : $"{sentence}: {FirstSentence(meaning)}";
    }

    public static string Sentence(IpHealth health, string? blockedBy, string? blockCode, DateTimeOffset? blockedSince,
        IReadOnlyList<string> listedOn, IReadOnlyList<string> failingAuthChecks, string? firstBlockCode = null) => health switch
    {
        IpHealth.Blocked when blockedBy is not null && blockCode is not null && blockedSince is { } since => Blocked(blockedBy, blockCode, since, firstBlockCode),
        IpHealth.Blocked => $"Blocked by {ProviderName(blockedBy)}.",
        IpHealth.Listed => $"Listed on {Join(listedOn)}.",
        IpHealth.AuthenticationProblems => $"Authentication problems: the {Join(failingAuthChecks.Select(c => c.ToUpperInvariant()).ToList())} " +
            (failingAuthChecks.Count == 1 ? "check fails." : "checks fail."),
        IpHealth.Healthy => "No provider blocks this IP and no check fails.",
        _ => "No bounces or checks for this IP yet.",
    };

    /// <summary>"Throttled by Outlook.com since 27 Nov 14:02 UTC (4.7.650): ..." or "Needs attention: stop the spam complaints."</summary>
    public static string AtRisk(IpStatusRules.Throttling? throttle, IReadOnlyList<string> causes)
    {
        if (throttle is not null)
        {
            var meaning = ProviderCodeCatalog.Find(throttle.Provider, throttle.Code)?.Meaning;
            var sentence = $"Throttled by {ProviderName(throttle.Provider)} since {FormatTime(throttle.Since)} ({throttle.Code})";
            return meaning is null ? sentence + "." : $"{sentence}: {FirstSentence(meaning)}";
        }

        return causes.Count == 0 ? "Needs attention." : $"Needs attention: {string.Join("; ", causes.Select(LowerFirst))}.";
    }

    /// <summary>An IP known only from reports: no check and no log says how it is doing.</summary>
    public static string Seen(int refusals, int complaints)
    {
        var what = (refusals, complaints) switch
        {
            (> 0, > 0) => $"{Plural(refusals, "bounce")} and {Plural(complaints, "complaint")}",
            (> 0, _) => Plural(refusals, "bounce"),
            (_, > 0) => Plural(complaints, "complaint"),
            _ => "reports",
        };
        return $"Seen only in {what}: no check and no MTA log say how this IP is doing.";
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string LowerFirst(string text) => text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    public static string NextStep(IpHealth health, string? blockedBy, int openItems, bool caseOpenForBlock, IReadOnlyList<string> listedOn,
        bool hasLogs = false, bool hasChecks = false)
    {
        var fix = openItems switch
        {
            0 => null,
            1 => "Fix the open checklist item",
            _ => $"Fix the {openItems} open checklist items",
        };
        switch (health)
        {
            case IpHealth.Blocked when caseOpenForBlock:
                return fix is null
                    ? $"Wait for the answer to the {ProviderName(blockedBy)} delisting case."
                    : $"{fix} while the {ProviderName(blockedBy)} delisting case is open.";
            case IpHealth.Blocked:
                return fix is null
                    ? $"Open {Article(ProviderName(blockedBy))} {ProviderName(blockedBy)} delisting case."
                    : $"{fix}, then open {Article(ProviderName(blockedBy))} {ProviderName(blockedBy)} delisting case.";
            case IpHealth.Listed:
                return fix is null ? $"Request removal from {Join(listedOn)}." : $"{fix}, then request removal from {Join(listedOn)}.";
            case IpHealth.AuthenticationProblems:
                return fix is null ? "Fix the failing DNS records and run the checks again." : $"{fix}; the checks tick them once the DNS records are right.";
            case IpHealth.Healthy:
                return fix is null ? "Nothing to do: keep uploading bounces and logs." : $"{fix}.";
            case IpHealth.AtRisk:
                return fix is null ? "Keep watching the replies of the throttling provider." : $"{fix} before a provider blocks the IP.";
            case IpHealth.SeenInBounces:
                return (hasChecks, hasLogs) switch
                {
                    (false, false) => "Run its checks (Check now) or upload its MTA logs to see how it is doing.",
                    (false, true) => "Run its checks (Check now) to see how it is doing.",
                    _ => "Upload its MTA logs to see how it is doing.",
                };
            default:
                return hasLogs ? "Run its checks (Check now)." : "Upload bounces or logs for this IP, or run its checks.";
        }
    }

    private static string Article(string name) => name.Length > 0 && "AEIOUaeiou".Contains(name[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Join(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "a blocklist",
        1 => names[0],
        _ => $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}",
    };

    /// <summary>The catalogue's meaning up to its first full stop, starting in lower case so it reads on after a colon.</summary>
    private static string FirstSentence(string meaning)
    {
        var end = meaning.IndexOf(". ", StringComparison.Ordinal);
        var first = end < 0 ? meaning : meaning[..(end + 1)];
        if (!first.EndsWith('.')) first += ".";
        return first.Length > 1 && char.IsUpper(first[0]) && char.IsLower(first[1]) ? char.ToLowerInvariant(first[0]) + first[1..] : first;
    }
}
