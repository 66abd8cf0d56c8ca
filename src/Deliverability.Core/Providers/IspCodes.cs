using Deliverability.Core.Bounces;
using static Deliverability.Core.Providers.ProviderCodeCatalog;

namespace Deliverability.Core.Providers;

/// <summary>Codes of ISPs and other mailbox providers that write their own tokens (docs/knowledge mailbox-providers.md section C; the providers' published code lists).</summary>
internal static class IspCodes
{
    public static readonly ProviderCode[] All =
    [
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
        new("orange", "103", "Service refused to the sending IP (Orange's own block); retry later, and ask Orange's postmaster if it lasts.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        new("orange", "305", "The authentication code given is not valid.", false, ProviderCodeCause.Authentication, BounceReasons.SecurityError, DelistingRoute.FixAndRetry, null),
        new("orange", "402", "Orange requires authentication on this service.", false, ProviderCodeCause.Authentication, BounceReasons.SecurityError, DelistingRoute.FixAndRetry, null),
        new("orange", "403", "Invalid sender: the envelope sender was refused.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("orange", "405", "Invalid sender: the envelope sender was refused.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("orange", "415", "Invalid sender: the envelope sender was refused.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("orange", "417", "The recipient's mailbox is full.", false, ProviderCodeCause.RecipientUnknown, BounceReasons.MailboxFull, DelistingRoute.FixAndRetry, null),
        new("orange", "418", "At least one recipient address is invalid.", false, ProviderCodeCause.RecipientUnknown, BounceReasons.UserUnknown, DelistingRoute.FixAndRetry, null),
        new("orange", "421", "The MAIL FROM address does not belong to the authenticated user.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("orange", "505", "Service refused for now after the message was sent (end of DATA); retry later.", true, ProviderCodeCause.ServerBusy, BounceReasons.SystemError, DelistingRoute.FixAndRetry, null),
        new("orange", "510", "Service refused to the sending IP after the message was sent.", false, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
        new("orange", "514", "The message is larger than Orange accepts.", false, ProviderCodeCause.Content, BounceReasons.MesgTooBig, DelistingRoute.FixAndRetry, null),
        new("orange", "999", "Service refused to the sending IP; retry later, and ask Orange's postmaster if it lasts.", true, ProviderCodeCause.Reputation, BounceReasons.Blocked, DelistingRoute.OrangePostmaster, OrangePostmasterUrl),
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

        // NetEase (163.com, 126.com, yeah.net): the two-part token after the reply code (help page help_spam_16).
        new("netease", "DT:SPM", "NetEase judged the message's content to be spam (421: for now, 554: refused).", false, ProviderCodeCause.Content, BounceReasons.SpamDetected, DelistingRoute.FixAndRetry, null),
        new("netease", "DT:RBL", "The sending IP is on a DNS blocklist NetEase uses (the reply does not say which): check the public lists and delist there.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("netease", "DT:SUM", "The envelope sender and the From header do not match.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("netease", "MI:SPF", "SPF of the sending domain does not allow the IP.", false, ProviderCodeCause.Authentication, BounceReasons.AuthFailure, DelistingRoute.FixAndRetry, null),
        new("netease", "MI:IMF", "The sender address is malformed.", false, ProviderCodeCause.Authentication, BounceReasons.Rejected, DelistingRoute.FixAndRetry, null),
        new("netease", "MI:NHD", "The HELO/EHLO name is missing.", false, ProviderCodeCause.ReverseDns, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
        new("netease", "MI:DMC", "Too many messages on one connection.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("netease", "MI:STC", "The sender opened more connections today than NetEase allows.", true, ProviderCodeCause.ConnectionLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("netease", "RP:FRL", "NetEase does not relay mail for other domains (open relay refused).", false, ProviderCodeCause.OpenRelay, BounceReasons.NoRelaying, DelistingRoute.FixAndRetry, null),
        new("netease", "RP:RCL", "More recipients in one message than NetEase allows.", true, ProviderCodeCause.RateLimit, BounceReasons.TooManyConn, DelistingRoute.FixAndRetry, null),
        new("netease", "RP:TRC", "The sender went over its daily number of recipients.", true, ProviderCodeCause.RateLimit, BounceReasons.Speeding, DelistingRoute.FixAndRetry, null),
        new("netease", "WM:BLI", "The sending IP is on NetEase's own block list.", false, ProviderCodeCause.Blocklist, BounceReasons.Blocked, DelistingRoute.FixAndRetry, null),
    ];
}
