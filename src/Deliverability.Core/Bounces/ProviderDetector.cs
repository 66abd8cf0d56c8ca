using System.Text.RegularExpressions;

namespace Deliverability.Core.Bounces;

/// <summary>Works out which mailbox provider rejected the message, and the provider's own code in the reply.</summary>
internal static partial class ProviderDetector
{
    // Every pattern here has bounded quantifiers and no nested repetition, so the backtracking engine stays linear.
    private const RegexOptions Safe = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    // Microsoft consumer bracket codes: (S3150), (AS3140), (S775), (S2017062302); Exchange Online (ASnnn) tokens too.
    [GeneratedRegex(@"\(A?S[0-9]{3,10}\)", Safe)]
    private static partial Regex MicrosoftBracketCode();

    [GeneratedRegex(@"(RP|SC|DY|OU)-00[1-4]", Safe)]
    private static partial Regex OutlookLegacyCode();

    [GeneratedRegex(@"\[?(TSS?[0-9]{2}|PH[0-9]{2}|BL[0-9]{2}|DY[0-9]{2}|GL[0-9]{2})\]?", Safe)]
    private static partial Regex YahooCode();

    [GeneratedRegex(@"(LPNAAA|LPN|OFR|OUK)[0-9]{0,3}[_-][0-9]{3}", Safe)]
    private static partial Regex OrangeCode();

    [GeneratedRegex(@"AUP#[A-Za-z]{0,3}-?[0-9]{4}", Safe)]
    private static partial Regex SpectrumCode();

    [GeneratedRegex(@"\[(CS01|HME1)\]", Safe)]
    private static partial Regex AppleCode();

    [GeneratedRegex(@"\b(CXBL|CXTHRT|CXMJ|CXDNS|CXSNDR|CXSMTP|CXCNCT|CXMXRT|CDRBL|IPBL[01]{4,5}|URLBL[01]{3,4})\b", Safe)]
    private static partial Regex CoxCode();

    [GeneratedRegex(@"\b(ES|BL|RL)[01]{6}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ComcastCode();

    [GeneratedRegex(@"\bIB[0-9]{3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex GoDaddyCode();

    [GeneratedRegex(@"\b(RCP|INT|POL|MSG|DNS|CON)-[PT][0-9]\b", RegexOptions.CultureInvariant)]
    private static partial Regex FacebookCode();

    [GeneratedRegex(@"\((BL|DIAL)\)", RegexOptions.CultureInvariant)]
    private static partial Regex TOnlineCode();

    // NetEase: "554 DT:SPM 163 mx14,...", "550 MI:SPF ...", "550 RP:TRC ...", "550 WM:BLI ..." (help page help_spam_16).
    [GeneratedRegex(@"\b(DT|MI|RP|WM):[A-Z]{3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex NetEaseCode();

    /// <summary>Every text <see cref="DetectProvider"/> looks for in a diagnostic, and the literal start of each of its patterns.</summary>
    private static readonly System.Buffers.SearchValues<string> DiagnosticMarkers = System.Buffers.SearchValues.Create(
        ["(as3140)", "(as3150)", "(s3140)", "(s3150)", ".protection.outlook.com", "access denied", "aka.ms/", "aup#", "banned sending ip", "gsmtp", "help.yahoo.com", "mail.live.com", "olc.protection.outlook.com", "postmaster.live.com", "postmaster.yahoo", "prod.outlook.com", "sender.office.com", "sendersupport.olc", "smtp-in.orange.fr", "spectrum.net", "support.apple.com", "support.google.com", "yahoo", "yahoo.com", "yahooinc.com", "rp-00", "sc-00", "dy-00", "ou-00", "lpn", "ofr", "ouk", "cxbl", "cxthrt", "cxmj", "cxdns", "cxsndr", "cxsmtp", "cxcnct", "cxmxrt", "cdrbl", "ipbl", "urlbl"],
        StringComparison.Ordinal);

    public static (string? Provider, string? Code) Detect(string recipient, string? remoteMta, string? diagnostic, string? status)
    {
        var text = diagnostic ?? string.Empty;
        var remote = (remoteMta ?? string.Empty).ToLowerInvariant();
        var lower = text.ToLowerInvariant();
        var domain = recipient[(recipient.LastIndexOf('@') + 1)..].ToLowerInvariant();

        var provider = DetectProvider(domain, remote, lower, status);
        var code = DetectCode(provider, text, status);
        return (provider, code);
    }

    private static string? DetectProvider(string domain, string remote, string lower, string? status)
    {
        // Most diagnostics name none of the texts below: one linear scan for all of them (and for the literal start of
        // each pattern) decides that, and the checks then run against an empty text (same answers, no rescans).
        var text = lower.AsSpan().ContainsAny(DiagnosticMarkers) ? lower : string.Empty;
        if (remote.Contains("olc.protection.outlook.com", StringComparison.Ordinal) || text.Contains("olc.protection.outlook.com", StringComparison.Ordinal) ||
            remote.Contains("hotmail.com", StringComparison.Ordinal) || OutlookLegacyCode().IsMatch(text) ||
            text.Contains("(s3150)", StringComparison.Ordinal) || text.Contains("(s3140)", StringComparison.Ordinal) ||
            text.Contains("(as3150)", StringComparison.Ordinal) || text.Contains("(as3140)", StringComparison.Ordinal) ||
            text.Contains("mail.live.com", StringComparison.Ordinal) || text.Contains("postmaster.live.com", StringComparison.Ordinal) ||
            text.Contains("sendersupport.olc", StringComparison.Ordinal))
        {
            return "outlook.com";
        }

        // Exchange Online Protection hosts: *.mail.protection.outlook.com (the tenants' MX), *.prod.protection.outlook.com
        // and *.eop-*.prod.protection.outlook.com (its front ends); the consumer service's olc.protection hosts are matched above.
        if (remote.Contains(".protection.outlook.com", StringComparison.Ordinal) || text.Contains(".protection.outlook.com", StringComparison.Ordinal) ||
            text.Contains("sender.office.com", StringComparison.Ordinal) || text.Contains("banned sending ip", StringComparison.Ordinal) ||
            (status is not null && IsMicrosoft365Status(status) && text.Contains("access denied", StringComparison.Ordinal)))
        {
            return "microsoft365";
        }

        if (domain.EndsWith(".onmicrosoft.com", StringComparison.Ordinal))
        {
            // Tenants' initial domains are hosted by Exchange Online.
            return "microsoft365";
        }

        if (IsOutlookConsumerDomain(domain) && (remote.Length == 0 || remote.Contains("outlook.com", StringComparison.Ordinal)))
        {
            return "outlook.com";
        }

        if (remote.Contains("outlook.com", StringComparison.Ordinal) || text.Contains("prod.outlook.com", StringComparison.Ordinal) ||
            text.Contains("aka.ms/", StringComparison.Ordinal))
        {
            return IsOutlookConsumerDomain(domain) ? "outlook.com" : "microsoft365";
        }

        if (remote.Contains("google.com", StringComparison.Ordinal) || remote.Contains("googlemail.com", StringComparison.Ordinal) ||
            text.Contains("gsmtp", StringComparison.Ordinal) || text.Contains("support.google.com", StringComparison.Ordinal))
        {
            return domain is "gmail.com" or "googlemail.com" ? "gmail" : "google-workspace";
        }

        if (domain is "gmail.com" or "googlemail.com")
        {
            return "gmail";
        }

        if (remote.Contains("yahoodns.net", StringComparison.Ordinal) || remote.Contains("yahoo.com", StringComparison.Ordinal) ||
            remote.Contains("aol.com", StringComparison.Ordinal) || text.Contains("yahooinc.com", StringComparison.Ordinal) ||
            text.Contains("help.yahoo.com", StringComparison.Ordinal) || text.Contains("postmaster.yahoo", StringComparison.Ordinal) ||
            text.Contains("yahoo.com", StringComparison.Ordinal) || text.Contains("yahoo", StringComparison.Ordinal) && YahooCode().IsMatch(text) ||
            domain.StartsWith("yahoo.", StringComparison.Ordinal) || domain is "aol.com" or "ymail.com" or "rocketmail.com" or "aim.com")
        {
            return "yahoo";
        }

        if (text.Contains("spectrum.net", StringComparison.Ordinal) || text.Contains("aup#", StringComparison.Ordinal) ||
            remote.Contains("charter.net", StringComparison.Ordinal) || remote.Contains("rr.com", StringComparison.Ordinal))
        {
            return "spectrum";
        }

        if (OrangeCode().IsMatch(text) || remote.Contains("orange.fr", StringComparison.Ordinal) || remote.Contains("wanadoo.fr", StringComparison.Ordinal) ||
            remote.Contains("laposte.net", StringComparison.Ordinal) || text.Contains("smtp-in.orange.fr", StringComparison.Ordinal))
        {
            return "orange";
        }

        if (remote.Contains("icloud.com", StringComparison.Ordinal) || remote.Contains("apple.com", StringComparison.Ordinal) ||
            text.Contains("support.apple.com", StringComparison.Ordinal) || domain is "icloud.com" or "me.com" or "mac.com")
        {
            return "apple";
        }

        // Cox's tokens are unmistakable even when the reply came through a relay.
        if (CoxCode().IsMatch(text))
        {
            return "cox";
        }

        // Every other receiver: from the catalogue (host names, reply markers, recipient domains).
        var known = Providers.ReceiverCatalog.Recognise(domain, remote, lower)?.Key;
        return known is "outlook.com" or "microsoft365" or "gmail" or "google-workspace" or "yahoo" ? null : known;
    }

    /// <summary>
    /// The provider whose own system reported the failure, when the report names no other server: the reporting MTA
    /// belongs to Outlook.com, Microsoft 365, Google or Yahoo (with <paramref name="gatewaysOnly"/>: a security gateway of
    /// the catalogue), no Remote-MTA is given and the text does not relay
    /// another server's answer ("remote server returned", "the recipient domain", "remote host said").
    /// </summary>
    public static string? FromReportingMta(string recipient, string? reportingMta, string? remoteMta, string? diagnostic, bool gatewaysOnly = false)
    {
        if (reportingMta is null || !string.IsNullOrEmpty(remoteMta))
        {
            return null;
        }

        var lower = (diagnostic ?? string.Empty).ToLowerInvariant();
        if (lower.Contains("remote server", StringComparison.Ordinal) || lower.Contains("remote host", StringComparison.Ordinal) ||
            lower.Contains("recipient domain", StringComparison.Ordinal) || lower.Contains("recipient server", StringComparison.Ordinal) ||
            lower.Contains("remote mail server", StringComparison.Ordinal) || lower.Contains(" said:", StringComparison.Ordinal) ||
            lower.Contains("dns error", StringComparison.Ordinal) || lower.Contains("name service error", StringComparison.Ordinal) ||
            lower.Contains("lookup of", StringComparison.Ordinal) || lower.Contains("host not found", StringComparison.Ordinal))
        {
            // Another server answered, or none did (the recipient's domain did not resolve): the reporter refused nothing.
            return null;
        }

        var host = reportingMta.ToLowerInvariant();
        if (gatewaysOnly)
        {
            // A security gateway that wrote the bounce itself (a MessageLabs or Mimecast cluster's own qmail-style notice)
            // filters mail in front of the recipient's mailboxes: it is the refusing side.
            return Providers.ReceiverCatalog.Recognise(string.Empty, host, string.Empty) is { Kind: Providers.ReceiverKind.SecurityGateway } gateway ? gateway.Key : null;
        }

        var domain = recipient[(recipient.LastIndexOf('@') + 1)..].ToLowerInvariant();
        return host switch
        {
            _ when IsHost(host, "prod.outlook.com") || IsHost(host, "protection.outlook.com") && !host.Contains("olc.", StringComparison.Ordinal) => "microsoft365",
            _ when IsHost(host, "hotmail.com") || IsHost(host, "olc.protection.outlook.com") => "outlook.com",
            // Google refused for itself: a gmail.com mailbox, or a domain whose mail Google hosts (Workspace).
            _ when IsHost(host, "google.com") || IsHost(host, "googlemail.com") => domain is "gmail.com" or "googlemail.com" ? "gmail" : "google-workspace",
            _ when IsHost(host, "yahoo.com") || IsHost(host, "yahoodns.net") || IsHost(host, "aol.com") => "yahoo",
            _ => null,
        };
    }

    /// <summary>The host is the domain itself or one of its sub-domains ("googlemail.com", "mx.google.com").</summary>
    private static bool IsHost(string host, string domain) =>
        host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);

    private static bool IsMicrosoft365Status(string status) =>
        status.Length >= 7 && status.StartsWith("5.7.", StringComparison.Ordinal) &&
        int.TryParse(status.AsSpan(4), out var detail) && detail is >= 500 and <= 799;

    private static bool IsOutlookConsumerDomain(string domain) =>
        domain.StartsWith("hotmail.", StringComparison.Ordinal) || domain.StartsWith("outlook.", StringComparison.Ordinal) ||
        domain.StartsWith("live.", StringComparison.Ordinal) || domain is "msn.com" or "passport.com" or "windowslive.com";

    private static string? DetectCode(string? provider, string text, string? status)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var legacy = OutlookLegacyCode().Match(text);
        if (legacy.Success)
        {
            return legacy.Value.ToUpperInvariant();
        }

        var bracket = MicrosoftBracketCode().Match(text);
        if (bracket.Success && provider is "outlook.com" or "microsoft365" or null)
        {
            var code = bracket.Value.Trim('(', ')').ToUpperInvariant();
            if (code is "S3150" or "S3140" or "AS3150" or "AS3140")
            {
                return code.TrimStart('A');
            }
        }

        if (provider is "spectrum" && SpectrumCode().Match(text) is { Success: true } spectrum)
        {
            return spectrum.Value.ToUpperInvariant();
        }

        if (provider is "orange" && OrangeCode().Match(text) is { Success: true } orange)
        {
            return orange.Value.ToUpperInvariant();
        }

        var tokens = provider switch
        {
            "cox" => CoxCode().Match(text) is { Success: true } cox ? cox : null,
            "comcast" => ComcastCode().Match(text),
            "godaddy" => GoDaddyCode().Match(text),
            "facebook" => FacebookCode().Match(text),
            "t-online" => TOnlineCode().Match(text),
            "netease" => NetEaseCode().Match(text),
            _ => null,
        };
        if (tokens is { Success: true })
        {
            return tokens.Groups.Count > 1 && provider is "t-online" ? tokens.Groups[1].Value : tokens.Value;
        }

        if (provider is "apple" && AppleCode().Match(text) is { Success: true } apple)
        {
            return apple.Groups[1].Value.ToUpperInvariant();
        }

        if (provider is "yahoo")
        {
            var yahoo = YahooCode().Match(text);
            if (yahoo.Success)
            {
                return yahoo.Value.Trim('[', ']').ToUpperInvariant();
            }
        }

        if (provider is "outlook.com" or "microsoft365" && status is not null)
        {
            if (status.StartsWith("4.7.65", StringComparison.Ordinal) || status is "5.7.515" || status is "5.7.511" || IsMicrosoft365Status(status) ||
                status.StartsWith("4.7.5", StringComparison.Ordinal) || status.StartsWith("4.7.8", StringComparison.Ordinal))
            {
                return status;
            }
        }

        if (provider is "outlook.com" or "microsoft365" && bracket.Success)
        {
            return bracket.Value.Trim('(', ')').ToUpperInvariant();
        }

        if (provider is "gmail" or "google-workspace" && status is not null && status[2] == '7')
        {
            return status;
        }

        return null;
    }
}
