using Deliverability.Core.Bounces;
using static Deliverability.Core.Providers.ProviderCodeCatalog;

namespace Deliverability.Core.Providers;

/// <summary>Outlook.com and Microsoft 365 rejection codes (docs/knowledge mailbox-providers.md sections A and B).</summary>
internal static class MicrosoftCodes
{
    private const string Outlook = "outlook.com";
    private const string M365 = "microsoft365";

    public static readonly ProviderCode[] All =
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
    ];
}
