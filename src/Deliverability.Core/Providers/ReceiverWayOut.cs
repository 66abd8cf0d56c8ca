namespace Deliverability.Core.Providers;

/// <summary>
/// For every receiver in <see cref="ReceiverCatalog"/>, where a sender goes once the cause is fixed: the receiver's
/// own removal route, or who decides when the receiver has none. Sources: docs/knowledge mailbox-providers.md (A-C) and
/// the receivers' own replies (the address or link they print). "Not published" means we know no route, not that there
/// is none.
/// </summary>
public static class ReceiverWayOut
{
    private static readonly Dictionary<string, string> Routes = new(StringComparer.Ordinal)
    {
        ["outlook.com"] = "Outlook.com sender support form (" + ProviderCodeCatalog.OutlookSenderSupportUrl + "); watch the IP in SNDS and join JMRP.",
        ["microsoft365"] = "Microsoft 365 delist portal (" + ProviderCodeCatalog.Microsoft365DelistUrl + "), one IP and one address per request; 5.7.511 goes to delist@messaging.microsoft.com.",
        ["gmail"] = "Fix authentication, PTR and spam rate (Postmaster Tools), then Gmail's bulk sender contact form (" + ProviderCodeCatalog.GmailSenderContactUrl + ").",
        ["google-workspace"] = "The recipient organisation's Google Workspace administrator decides its own policies; Gmail's sender guidelines apply to the rest.",
        ["yahoo"] = "Yahoo Sender Hub (" + ProviderCodeCatalog.YahooSenderHubUrl + "): sender support request once the cause is fixed; BL2x codes are Spamhaus listings.",
        ["apple"] = "Mail " + ProviderCodeCatalog.AppleIcloudAdmin[7..] + " with the company, domain, IPs, the SMTP errors and when they started.",
        ["comcast"] = "Delist at the list the BL code names (Spamhaus ZEN, Cloudmark CSI, SenderScore); ES codes (dynamic space) cannot be lifted: send through a static, named server.",
        ["cox"] = "IPBL codes: delist at the named DNSBL; CXBL: ask Cox to unblock (the reply links Cox's error-code page); limits (CXCNCT, CXMXRT): slow down.",
        ["att"] = "Forward the bounce to abuse_rbl@abuse-att.net, the address AT&T prints in its refusals.",
        ["spectrum"] = "The AUP code's entry on Spectrum's error-code page (" + ProviderCodeCatalog.SpectrumCodesUrl + ") says whether to fix, wait or ask.",
        ["verizon"] = "verizon.net mailboxes are served by Yahoo's platform (Yahoo Sender Hub); the vtext.com/vzwpix.com SMS gateways publish no route.",
        ["orange"] = "Orange postmaster (" + ProviderCodeCatalog.OrangePostmasterUrl + "); codes 101 (Spamhaus) and 102 (reputation services) are delisted at the service named in the reply.",
        ["free"] = "Not published in our sources: slow down on 'too many connections' and retry.",
        ["sfr"] = "Not published in our sources.",
        ["gmx"] = "The case link in GMX's last reply line explains the block; unblock through the GMX / WEB.DE postmaster contact form.",
        ["t-online"] = "(BL): mail tosa@rx.t-online.de; (DIAL): publish an imprint at the PTR host name and mail toda@rx.t-online.de.",
        ["mail.ru"] = "Not verified: Mail.ru's postmaster service; 'dynamic IP' refusals need a static IP with a named PTR.",
        ["yandex"] = "Not verified: Yandex's postmaster service (Postoffice).",
        ["qq"] = "The help page QQ links in its reply; frequency limits lift by themselves once the sender slows down.",
        ["netease"] = "NetEase's help page linked in the reply (help_spam_16) names each code; DT:RBL is delisted at the list itself.",
        ["naver"] = "Not published in our sources.",
        ["docomo"] = "The recipient's own reception settings refuse the mail: only the recipient can allow the sender.",
        ["au"] = "The recipient's own reception filter refuses the mail: only the recipient can allow the sender.",
        ["softbank"] = "The recipient's own reception settings refuse the mail: only the recipient can allow the sender.",
        ["zoho"] = "Not published in our sources.",
        ["fastmail"] = "Not published in our sources.",
        ["godaddy"] = "The IB code says what to fix; Spamhaus codes (IB104-106) are delisted at Spamhaus.",
        ["facebook"] = "POL-P1 is a Spamhaus PBL listing; the other codes need a fix, not a request.",
        ["amazon-ses"] = "The receiving AWS account's own rules: ask the recipient.",
        ["mimecast"] = "Ask the recipient organisation to allow the sender in its Mimecast policies; the reply's community.mimecast.com link explains the code.",
        ["proofpoint"] = "Proofpoint's IP reputation lookup linked in the reply (support.proofpoint.com/dnsbl-lookup) carries its removal request.",
        ["barracuda"] = "Barracuda Reputation: removal request at barracudacentral.org (rbl/removal-request); content refusals are the recipient's policy.",
        ["messagelabs"] = "Broadcom (Symantec) Email Security.cloud IP removal request; policy refusals are the recipient organisation's.",
        ["cisco"] = "Cisco Talos reputation lookup and ticket (talosintelligence.com); the recipient organisation can allow the sender in its HAT.",
        ["trendmicro"] = "Trend Micro Email Reputation Services lookup and removal (ers.trendmicro.com).",
        ["sophos"] = "Not published in our sources: ask the recipient organisation to allow the sender.",
        ["mcafee"] = "Not published in our sources: ask the recipient organisation to allow the sender.",
    };

    /// <summary>The way out for a receiver key, or null for a key the catalogue does not hold.</summary>
    public static string? For(string? key) => key is not null && Routes.TryGetValue(key, out var route) ? route : null;
}
