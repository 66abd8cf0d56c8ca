using Deliverability.Core.Bounces;
using static Deliverability.Core.Providers.ProviderCodeCatalog;

namespace Deliverability.Core.Providers;

/// <summary>Gmail, Yahoo/AOL and iCloud rejection codes (docs/knowledge mailbox-providers.md sections C.1-C.3).</summary>
internal static class ConsumerMailCodes
{
    public static readonly ProviderCode[] All =
    [
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
    ];
}
