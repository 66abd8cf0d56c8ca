using Deliverability.Core.Bounces;
namespace Deliverability.Core.Providers;

/// <summary>
/// Provider rejection codes as data (sources and confidence: docs/knowledge mailbox-providers.md, sections A and C).
/// Provider names match <c>RecipientResult.Provider</c> and <see cref="ReceiverCatalog"/> keys: "outlook.com", "microsoft365",
/// "gmail", "yahoo", "apple", "orange", "spectrum", "cox", "comcast", "godaddy", "facebook", "t-online".
/// </summary>
public static class ProviderCodeCatalog
{
    public const string OutlookSenderSupportUrl = "https://support.microsoft.com/supportrequestform/8ad563e3-288e-2a61-8122-3ba03d6b8d75";
    public const string Microsoft365DelistUrl = "https://sender.office.com";
    public const string Microsoft365DelistEmail = "mailto:delist@messaging.microsoft.com";
    public const string SpamhausLookupUrl = "https://check.spamhaus.org/";
    public const string GmailSenderContactUrl = "https://support.google.com/mail/contact/gmail_bulk_sender_escalation";
    public const string YahooSenderHubUrl = "https://senders.yahooinc.com/";
    public const string AppleIcloudAdmin = "mailto:icloudadmin@apple.com";
    public const string SpectrumCodesUrl = "https://www.spectrum.net/support/internet/understanding-email-error-codes";
    public const string OrangePostmasterUrl = "https://postmaster.orange.fr/";
    public const string TOnlineContact = "mailto:tosa@rx.t-online.de";
    public const string TOnlineDialContact = "mailto:toda@rx.t-online.de";

    private const string Outlook = "outlook.com";
    private const string M365 = "microsoft365";

    private static readonly ProviderCode[] Codes = Build();

    private static readonly Dictionary<(string, string), ProviderCode> ByKey =
        Codes.ToDictionary(c => (c.Provider, c.Code.ToUpperInvariant()));

    public static IReadOnlyList<ProviderCode> All => Codes;

    /// <summary>The entry for a provider's code (case-insensitive), or null. Microsoft 365 ranges (5.7.606-649, 4.7.500-699) resolve to their range entry.</summary>
    public static ProviderCode? Find(string? provider, string? code)
    {
        if (provider is null || code is null)
        {
            return null;
        }

        var key = code.Trim().ToUpperInvariant();
        if (ByKey.TryGetValue((provider, key), out var found))
        {
            return found;
        }

        if (provider is M365 or Outlook && TryRange(key, out var range) && ByKey.TryGetValue((provider, range), out var ranged))
        {
            return ranged;
        }

        // Spectrum writes AUP#In-1310, AUP#O-1000...: the four-digit number falls in a documented range.
        if (provider == "spectrum" && SpectrumNumber(key) is { } number)
        {
            foreach (var entry in Codes)
            {
                if (entry.Provider == "spectrum" && SpectrumRange(entry.Code) is var (low, high) && number >= low && number <= high)
                {
                    return entry;
                }
            }
        }

        // Cox IPBLnnnn/URLBLnnn and Comcast BLnnnnnn/RLnnnnnn are bit fields: the prefix carries the meaning.
        if (provider is "cox" or "comcast" or "t-online" && Prefix(key) is { } prefix && ByKey.TryGetValue((provider, prefix), out var family))
        {
            return family;
        }

        if (provider is "godaddy" && key.StartsWith("IB", StringComparison.Ordinal) && int.TryParse(key.AsSpan(2), out var ib))
        {
            foreach (var entry in Codes)
            {
                if (entry.Provider == "godaddy" && entry.Code.Contains('-', StringComparison.Ordinal) && GoDaddyRange(entry.Code) is var (low, high) && ib >= low && ib <= high)
                {
                    return entry;
                }
            }
        }

        // Orange/La Poste write LPN007_416, OFR_506...: the last three digits carry the meaning.
        if (provider == "orange" && key.Length >= 3 && ByKey.TryGetValue((provider, key[^3..]), out var orange))
        {
            return orange;
        }

        return null;
    }

    private static string? Prefix(string code)
    {
        var letters = code.AsSpan().IndexOfAnyInRange('0', '9');
        return letters > 0 ? code[..letters] : null;
    }

    private static (int Low, int High)? GoDaddyRange(string code)
    {
        var parts = code.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0].AsSpan(2), out var low) && int.TryParse(parts[1], out var high) ? (low, high) : null;
    }

    private static int? SpectrumNumber(string code)
    {
        var digits = code.Length >= 4 ? code[^4..] : string.Empty;
        return int.TryParse(digits, out var number) ? number : null;
    }

    private static (int Low, int High)? SpectrumRange(string code)
    {
        var parts = code.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out var low) && int.TryParse(parts[1], out var high) ? (low, high)
            : int.TryParse(code, out var single) ? (single, single) : null;
    }

    private static bool TryRange(string code, out string range)
    {
        range = string.Empty;
        if (code.Length < 7 || code[1] != '.' || code[3] != '.' || !int.TryParse(code.AsSpan(4), out var detail))
        {
            return false;
        }

        range = code[0] switch
        {
            '5' when code[2] == '7' && detail is >= 606 and <= 649 => "5.7.606-649",
            '5' when code[2] == '7' && detail is >= 700 and <= 749 => "5.7.700-749",
            '4' when code[2] == '7' && detail is >= 500 and <= 699 && detail is not (650 or 651 or 652) => "4.7.500-699",
            '4' when code[2] == '7' && detail is >= 850 and <= 899 => "4.7.850-899",
            _ => string.Empty,
        };
        return range.Length > 0;
    }

    private static ProviderCode[] Build() =>
    [
        // Outlook.com consumer mailboxes (hotmail, live, msn, outlook.com).
        new(Outlook, "RP-001", "The sending IP went over the message rate Outlook.com allows it; the allowance depends on the IP's and domain's reputation.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, OutlookSenderSupportUrl),
        new(Outlook, "RP-002", "Too many messages on one connection for the sender's reputation.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, OutlookSenderSupportUrl),
        new(Outlook, "RP-003", "Too many simultaneous connections from the sending IP for its reputation.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, OutlookSenderSupportUrl),
        new(Outlook, "SC-001", "Refused by policy: the content looks like spam or the IP/domain has a poor reputation.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "SC-002", "Refused because the IP was seen probing for valid addresses (namespace mining, list 'verification').", false, ProviderCodeCause.NamespaceMining, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "SC-003", "Refused because the IP looks like an open proxy or open relay.", false, ProviderCodeCause.OpenRelay, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "SC-004", "Refused because Outlook.com users complained about mail from this IP; join JMRP and remove complainers.", false, ProviderCodeCause.Complaints, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "DY-001", "Refused because the IP is in dynamic (residential) address space, as listed by Spamhaus (PBL).", false, ProviderCodeCause.DynamicIp, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new(Outlook, "DY-002", "Refused because the sending server or a PC behind it looks compromised.", false, ProviderCodeCause.InfectedHost, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "OU-001", "Refused because of a Spamhaus listing; look the IP up and remove it there.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new(Outlook, "OU-002", "Refused by policy: spam-like content or poor IP/domain reputation.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "S3150", "The IP (or its range) is on Outlook.com's own block list. Listings can lapse, but ask through the consumer sender support form; the Microsoft 365 portal does not help.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "S3140", "Same family as S3150: the IP or its network is on Outlook.com's internal block list.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.OutlookSenderSupport, OutlookSenderSupportUrl),
        new(Outlook, "4.7.650", "Outlook.com is throttling the IP because of its reputation (new, cold or suddenly louder IPs). Slow down and keep retrying; ignoring it can turn into an S3150 block.", true, ProviderCodeCause.Reputation, BounceReasons.BadReputation, DelistingRoute.FixAndRetry, OutlookSenderSupportUrl),
        new(Outlook, "4.7.651", "Like 4.7.650: reputation-based rate limiting of the IP.", true, ProviderCodeCause.Reputation, BounceReasons.BadReputation, DelistingRoute.FixAndRetry, OutlookSenderSupportUrl),
        new(Outlook, "4.7.652", "The IP has too many open connections to Outlook.com; treat all its MX hosts as one pool.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new(Outlook, "5.7.515", "The sending domain sends in volume to Outlook.com without passing SPF, DKIM and DMARC. Fix authentication; there is nothing to delist.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new(Outlook, "4.7.500-699", "Temporary throttling while Microsoft evaluates an unusual sending pattern from the IP.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),

        // Microsoft 365 / Exchange Online Protection tenants (*.mail.protection.outlook.com).
        new(M365, "5.7.606-649", "The IP is on Microsoft 365's banned-sender list. Request removal on the delist portal (one address and one IP per request).", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Microsoft365DelistPortal, Microsoft365DelistUrl),
        new(M365, "5.7.511", "The IP is banned and the portal cannot lift it: forward the full bounce, with the IP, to Microsoft's delist address.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Microsoft365DelistEmail, Microsoft365DelistEmail),
        new(M365, "4.7.500-699", "Temporary restriction while Microsoft 365 evaluates suspicious traffic; it lifts by itself if the traffic is legitimate.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new(M365, "4.7.850-899", "Temporary restriction of the IP while its traffic is evaluated.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.509", "The From domain fails DMARC at the receiving tenant.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.23", "SPF fails for the sending domain.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.25", "The IPv6 sending address has no reverse DNS (PTR) record.", false, ProviderCodeCause.ReverseDns, BounceReasons.RequirePtr, DelistingRoute.FixAndRetry, null),
        new(M365, "4.7.26", "Mail over IPv6 must pass SPF or DKIM.", true, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.506", "The server greeted (HELO/EHLO) with the recipient's name instead of its own.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.507", "The recipient organisation blocked the IP.", false, ProviderCodeCause.RecipientPolicy, BounceReasons.Blocked, DelistingRoute.ContactRecipient, null),
        new(M365, "5.7.508", "The IPv6 range sent more than Microsoft 365 allows.", false, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.510", "The recipient domain does not take mail over IPv6.", false, ProviderCodeCause.RecipientPolicy, BounceReasons.NotAccept, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.513", "The recipient tenant lists the IP on its own block list.", false, ProviderCodeCause.RecipientPolicy, BounceReasons.Blocked, DelistingRoute.ContactRecipient, null),
        new(M365, "5.7.700-749", "A Microsoft 365 tenant is banned from sending out (only relevant when relaying through Microsoft 365).", false, ProviderCodeCause.InfectedHost, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new(M365, "5.7.750", "The tenant sends from domains it has not registered.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),

        // Gmail and Google Workspace.
        new("gmail", "4.7.0", "Gmail is rate limiting mail because of the sending IP's or domain's low reputation, or missing PTR/TLS.", true, ProviderCodeCause.Reputation, BounceReasons.BadReputation, DelistingRoute.GmailSenderContact, GmailSenderContactUrl),
        new("gmail", "5.7.1", "Gmail refused the message as likely unsolicited, or the IP looks residential/unauthorised.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.GmailSenderContact, GmailSenderContactUrl),
        new("gmail", "4.7.23", "The sending IP has no PTR record or the PTR does not resolve back to it.", true, ProviderCodeCause.ReverseDns, BounceReasons.RequirePtr, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.25", "The sending IP has no PTR record or the PTR does not resolve back to it.", false, ProviderCodeCause.ReverseDns, BounceReasons.RequirePtr, DelistingRoute.FixAndRetry, null),
        new("gmail", "4.7.24", "The sending domain's SPF record has suspicious entries.", true, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.24", "The sending domain's SPF record has suspicious entries.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("gmail", "4.7.26", "The message passed neither SPF nor DKIM (or DMARC could not be evaluated).", true, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.26", "The message passed neither SPF nor DKIM, or the domain's DMARC policy rejects it.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.27", "Bulk sender: SPF did not pass.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("gmail", "4.7.28", "Gmail sees an unusual rate of unsolicited mail from the IP, netblock or domain and slows it down.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.28", "Gmail blocks the IP for an unusual rate of unsolicited mail.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.GmailSenderContact, GmailSenderContactUrl),
        new("gmail", "5.7.29", "Bulk sender not using TLS.", false, ProviderCodeCause.Tls, BounceReasons.FailedStartTls, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.30", "Bulk sender: DKIM did not pass.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.32", "The From domain is aligned with neither the SPF nor the DKIM domain.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("gmail", "5.7.40", "Bulk sender: the From domain publishes no DMARC policy.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),

        // Yahoo and AOL.
        new("yahoo", "TS01", "Yahoo defers mail from the IP because of user complaints.", true, ProviderCodeCause.Complaints, BounceReasons.BadReputation, DelistingRoute.YahooSenderSupport, YahooSenderHubUrl),
        new("yahoo", "TS02", "Yahoo defers mail from the IP: unusual traffic or complaints.", true, ProviderCodeCause.Complaints, BounceReasons.BadReputation, DelistingRoute.YahooSenderSupport, YahooSenderHubUrl),
        new("yahoo", "TS03", "All mail from the IP is deferred for a bulk pattern; a 4xx, but do not resend until sending practices change.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.YahooSenderSupport, YahooSenderHubUrl),
        new("yahoo", "TSS04", "Yahoo defers mail from the IP for unexpected volume, complaints or weak authentication.", true, ProviderCodeCause.Reputation, BounceReasons.Rejected, DelistingRoute.YahooSenderSupport, YahooSenderHubUrl),
        new("yahoo", "TSS05", "Like TSS04: deferral for volume, complaints or reputation.", true, ProviderCodeCause.Reputation, BounceReasons.Rejected, DelistingRoute.YahooSenderSupport, YahooSenderHubUrl),
        new("yahoo", "TSS09", "Yahoo blocks the IP permanently; retrying will not help.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.YahooSenderSupport, YahooSenderHubUrl),
        new("yahoo", "PH01", "Refused for content or URL policy.", false, ProviderCodeCause.Content, BounceReasons.PolicyViolation, DelistingRoute.FixAndRetry, null),
        new("yahoo", "BL21", "Refused because the IP is on Spamhaus's policy list (PBL).", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("yahoo", "BL22", "Refused because the IP is on Spamhaus's SBL.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("yahoo", "BL23", "Refused because the IP is on Spamhaus's exploits list (XBL).", false, ProviderCodeCause.InfectedHost, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),

        // Apple iCloud Mail.
        new("apple", "CS01", "iCloud refused the message by local policy (content or reputation).", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.AppleIcloudAdmin, AppleIcloudAdmin),
        new("apple", "HME1", "iCloud refused the message: it failed both SPF and DKIM.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),

        // Spectrum (Charter): AUP#I-nnnn (inbound) and AUP#O-nnnn (outbound) codes, by documented number range.
        new("spectrum", "1000", "Spectrum blocked the sending IP for suspicious activity.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, SpectrumCodesUrl),
        new("spectrum", "1010-1080", "The sending account is blocked or limited for suspicious activity.", false, ProviderCodeCause.Reputation, BounceReasons.Rejected, DelistingRoute.FixAndRetry, SpectrumCodesUrl),
        new("spectrum", "1090", "Spectrum could not process the message; try later.", true, ProviderCodeCause.ServerBusy, BounceReasons.SystemError, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1100-1150", "The sending IP has a DNS problem (reverse DNS).", false, ProviderCodeCause.ReverseDns, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1160-1190", "The message goes against the domain's security policy.", false, ProviderCodeCause.Content, BounceReasons.PolicyViolation, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1200-1210", "Cloudmark flags the sending IP as a likely spam source.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, SpectrumCodesUrl),
        new("spectrum", "1220-1250", "The sending IP is on a Spamhaus list.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("spectrum", "1260", "Spectrum does not take mail over IPv6; connect over IPv4.", false, ProviderCodeCause.RecipientPolicy, BounceReasons.NetworkError, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1300-1340", "Too many concurrent connections from the sender.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1350-1490", "Volume limits: too many messages or recipients from the sender.", true, ProviderCodeCause.RateLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1500-1520", "The message claims a sender address the account may not use.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1530", "The message is larger than Spectrum's 20 MB limit.", false, ProviderCodeCause.Content, BounceReasons.MesgTooBig, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1540-1550", "Too many messages in one session or recipients in one message.", true, ProviderCodeCause.RateLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("spectrum", "1560", "Too many invalid recipients in one message.", false, ProviderCodeCause.NamespaceMining, BounceReasons.PolicyViolation, DelistingRoute.FixAndRetry, null),

        // Orange / La Poste (France): the three-digit suffix of LPNxxx_NNN / OFR_NNN.
        new("orange", "101", "Refused because the IP is listed at Spamhaus.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("orange", "102", "Refused because of the IP's poor score at a reputation service.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        new("orange", "104", "Too many connections; slow down.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("orange", "107", "Service refused to the sending IP (reputation); retry later.", true, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        new("orange", "108", "Service refused to the sending IP (reputation).", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        new("orange", "109", "Service refused to the sending IP; retry later.", true, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        new("orange", "401", "SPF does not allow the IP to send for the domain.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("orange", "416", "The recipient address does not exist.", false, ProviderCodeCause.RecipientUnknown, BounceReasons.UserUnknown, DelistingRoute.FixAndRetry, null),
        new("orange", "420", "The recipient mailbox is archived.", false, ProviderCodeCause.RecipientUnknown, BounceReasons.Suspend, DelistingRoute.FixAndRetry, null),
        new("orange", "426", "The recipient account is blocked.", false, ProviderCodeCause.RecipientUnknown, BounceReasons.Suspend, DelistingRoute.FixAndRetry, null),
        new("orange", "506", "The message was refused as spam.", false, ProviderCodeCause.Content, BounceReasons.SpamDetected, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        new("orange", "517", "DMARC verification failed.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("orange", "630", "Refused by Orange's sending policy.", false, ProviderCodeCause.RecipientPolicy, BounceReasons.PolicyViolation, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        // Cox (cox.net): CX tokens and DNSBL bit fields (IPBL: 1 Spamhaus ZEN, 2 Return Path, 4 Invaluement ivmSIP, 8 Cloudmark CSI).
        new("cox", "CXBL", "Cox blocked the sending IP for spam-like behaviour; ask Cox to unblock (at its discretion).", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("cox", "CDRBL", "Cox blocked the sending IP for up to 24 hours for spam-like behaviour.", true, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("cox", "CXDNS", "The sending IP's DNS (reverse DNS) failed Cox's check.", false, ProviderCodeCause.ReverseDns, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("cox", "CXSNDR", "The sender's domain failed Cox's checks (SPF/DKIM).", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("cox", "CXSMTP", "Cox could not verify the mail came from a legitimate sender (SMTP protocol violation).", false, ProviderCodeCause.Reputation, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("cox", "CXCNCT", "More concurrent SMTP connections than Cox allows per IP (10).", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("cox", "CXMXRT", "More messages or recipients than Cox allows from the sender.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new("cox", "CXTHRT", "Sending limited for suspicious account activity.", false, ProviderCodeCause.InfectedHost, BounceReasons.SecurityError, DelistingRoute.FixAndRetry, null),
        new("cox", "CXMJ", "Sending blocked for suspicious activity on the Cox account.", false, ProviderCodeCause.InfectedHost, BounceReasons.SecurityError, DelistingRoute.FixAndRetry, null),
        new("cox", "IPBL", "The sending IP is on a DNS blocklist Cox uses (the digits name which: Spamhaus ZEN, Return Path, ivmSIP, Cloudmark CSI).", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("cox", "URLBL", "A URL in the message is on a URL blocklist (SURBL, Spamhaus DBL, ivmURI).", false, ProviderCodeCause.Content, BounceReasons.SpamDetected, DelistingRoute.FixAndRetry, null),

        // Comcast (Xfinity): ES dynamic space, BL bit field (1 ZEN, 2 Cloudmark CSI, 4 SenderScore), RL rate limits.
        new("comcast", "ES000001", "The IP is in Comcast's own dynamic/residential space; send through Comcast's SMTP server.", false, ProviderCodeCause.DynamicIp, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("comcast", "ES000010", "The IP looks dynamic/residential (often from a generic reverse DNS name).", false, ProviderCodeCause.DynamicIp, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("comcast", "BL000000", "Comcast sees spam-like patterns from the IP.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("comcast", "BL", "The IP is on a blocklist Comcast uses (Spamhaus ZEN, Cloudmark CSI or SenderScore): delist there.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("comcast", "RL", "Comcast rate limits the IP; slow down.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),

        // GoDaddy (secureserver.net) IBnnn codes.
        new("godaddy", "IB007", "Too many concurrent sessions from the IP.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB101", "GoDaddy's server is temporarily unavailable.", true, ProviderCodeCause.ServerBusy, BounceReasons.Expired, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB103", "The IP has a poor Cloudmark CSI reputation.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB104", "The IP is on Spamhaus's SBL.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("godaddy", "IB105", "The IP is on Spamhaus's XBL (exploited host).", false, ProviderCodeCause.InfectedHost, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("godaddy", "IB106", "The IP is on Spamhaus's PBL.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("godaddy", "IB108", "Reverse DNS for the IP failed.", true, ProviderCodeCause.ReverseDns, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB110-113", "The IP is blocked for the day for spam or for mailing too many invalid recipients.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB212", "The message was judged to be spam.", false, ProviderCodeCause.Content, BounceReasons.SpamDetected, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB401", "Authentication is not allowed on GoDaddy's inbound servers.", false, ProviderCodeCause.Authentication, BounceReasons.SecurityError, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB501-508", "The From address or its domain (or its SPF record) is invalid.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB504", "The IP sent too many messages this hour.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB510", "Too many messages in one session.", true, ProviderCodeCause.RateLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB607", "The IP sent to too many recipients this hour.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new("godaddy", "IB705", "The message carries a virus.", false, ProviderCodeCause.Content, BounceReasons.VirusDetected, DelistingRoute.FixAndRetry, null),

        // Facebook (facebook.com / facebookmail.com) category codes.
        new("facebook", "RCP-P1", "The recipient address does not exist.", false, ProviderCodeCause.RecipientUnknown, BounceReasons.UserUnknown, DelistingRoute.FixAndRetry, null),
        new("facebook", "INT-P1", "The recipient address does not exist.", false, ProviderCodeCause.RecipientUnknown, BounceReasons.UserUnknown, DelistingRoute.FixAndRetry, null),
        new("facebook", "RCP-P2", "The recipient's preferences refuse the message.", false, ProviderCodeCause.RecipientPolicy, BounceReasons.Filtered, DelistingRoute.FixAndRetry, null),
        new("facebook", "RCP-P3", "The recipient's privacy settings refuse the message.", false, ProviderCodeCause.RecipientPolicy, BounceReasons.Filtered, DelistingRoute.FixAndRetry, null),
        new("facebook", "POL-P1", "The IP is on Spamhaus's PBL.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.Spamhaus, SpamhausLookupUrl),
        new("facebook", "POL-P2", "Facebook no longer accepts mail from the IP.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("facebook", "MSG-P1", "The message is larger than Facebook accepts.", false, ProviderCodeCause.Content, BounceReasons.MesgTooBig, DelistingRoute.FixAndRetry, null),
        new("facebook", "CON-T2", "The server has too many connections open to Facebook.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("facebook", "CON-T3", "The server opened too many new connections to Facebook in a short time.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("facebook", "DNS-P1", "The MAIL FROM domain does not exist.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),

        // T-Online (Deutsche Telekom): the token in brackets at the end of the reply.
        new("t-online", "BL", "T-Online does not accept mail from the IP (bad or unknown reputation); ask tosa@rx.t-online.de.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.FixAndRetry, TOnlineContact),
        new("t-online", "DIAL", "T-Online treats the IP as dial-up/transient (often: no imprint at the PTR host name); ask toda@rx.t-online.de.", false, ProviderCodeCause.DynamicIp, BounceReasons.Blocked, DelistingRoute.FixAndRetry, TOnlineDialContact),
    ];
}
