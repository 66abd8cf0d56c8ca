using System.Buffers;
using Deliverability.Core.Bounces;
namespace Deliverability.Core.Providers;

/// <summary>Whether a receiver hosts mailboxes or filters mail in front of someone else's mailboxes.</summary>
public enum ReceiverKind
{
    MailboxProvider,
    SecurityGateway,
}

/// <summary>
/// A text a receiver documents or is observed to write, and the reason it means there. Matched lower-cased against the
/// remote reply; <see cref="ReplyCode"/> and <see cref="Command"/>, when set, must agree too. With
/// <see cref="OnlyWithGenericStatus"/> the phrase applies only when the status is absent or X.0.0: a precise status wins.
/// </summary>
public sealed record ReceiverPhrase(string Text, string Reason, int? ReplyCode = null, string? Command = null, bool OnlyWithGenericStatus = false);

/// <summary>
/// One receiving system: how to recognise it (MX/host names, the recipient domains it hosts, markers in its replies)
/// and the texts it writes with the reason each means. Its codes (with meaning, cause and way out) are in
/// <see cref="ProviderCodeCatalog"/> under the same <see cref="Key"/>. <see cref="NoticeHeadlines"/> are sentences the
/// receiver's own bounce writes once, above the list of recipients, to say why all of them failed; they are read in the
/// bounce's text, not in a recipient's reply, and say more than the SMTP reply quoted under them.
/// </summary>
public sealed record Receiver(
    string Key,
    string Name,
    ReceiverKind Kind,
    string[] HostSuffixes,
    string[] Domains,
    string[] TextMarkers,
    ReceiverPhrase[] Phrases,
    string Source,
    ReceiverPhrase[]? NoticeHeadlines = null);

/// <summary>
/// The receivers the parser knows, as data. Microsoft (Outlook.com vs Microsoft 365), Google and Yahoo are recognised
/// first by <c>ProviderDetector</c>'s own rules (their hosts overlap); every other receiver is recognised from this list
/// in order. Sources: docs/knowledge mailbox-providers.md, the providers' postmaster pages, and the receiver modules of
/// Sisimai's library (facts learnt, our own wording).
/// </summary>
public static class ReceiverCatalog
{
    public static readonly Receiver[] All =
    [
        new("outlook.com", "Outlook.com", ReceiverKind.MailboxProvider, ["olc.protection.outlook.com", "hotmail.com", "outlook.com"],
            ["hotmail.com", "outlook.com", "live.com", "msn.com"], ["sendersupport.olc", "postmaster.live.com", "mail.live.com"],
            [new("mailbox unavailable", BounceReasons.UserUnknown, 550)],
            "Outlook.com postmaster troubleshooting page (MS-TS); S2017062302 is the ordinary user unknown"),
        new("microsoft365", "Microsoft 365", ReceiverKind.MailboxProvider, ["mail.protection.outlook.com", "prod.outlook.com", "outlook.office365.com"],
            ["onmicrosoft.com"], ["sender.office.com", "prod.outlook.com", "protection.outlook.com"],
            [new("recipient address rejected: access denied", BounceReasons.UserUnknown), new("resolver.adr.recipnotfound", BounceReasons.UserUnknown),
                new("resolver.rst.notauthorized", BounceReasons.Filtered), new("resolver.rst.authrequired", BounceReasons.Filtered),
                new("banned sending ip", BounceReasons.Blocked), new("bad helo", BounceReasons.Blocked)],
            "Exchange Online NDR reference (MS-NDR): 5.4.1 directory-based edge blocking, 5.7.606-649 banned sending IP"),
        new("gmail", "Gmail", ReceiverKind.MailboxProvider, ["google.com", "googlemail.com"], ["gmail.com", "googlemail.com"],
            ["gsmtp", "support.google.com/mail"],
            [new("the email account that you tried to reach does not exist", BounceReasons.UserUnknown), new("the email account that you tried to reach is disabled", BounceReasons.Suspend),
                new("the email account that you tried to reach is over quota", BounceReasons.MailboxFull), new("account that you tried to reach is inactive", BounceReasons.Suspend),
                new("ip not in whitelist for rcpt domain", BounceReasons.Blocked), new("unusual rate of unsolicited mail", BounceReasons.Blocked),
                new("the user or domain that you are sending to (or from) has a policy that prohibited", BounceReasons.PolicyViolation),
                new("mail sending denied", BounceReasons.Rejected), new("mail relay denied", BounceReasons.NoRelaying),
                new("timeout - closing connection", BounceReasons.Expired, 451), new("try again later, closing connection", BounceReasons.Blocked, 421)],
            "Google's SMTP error reference (G-ERR)"),
        new("google-workspace", "Google Workspace", ReceiverKind.MailboxProvider, ["aspmx.l.google.com", "googlemail.com"], [],
            ["gsmtp", "support.google.com"],
            [new("the email account that you tried to reach does not exist", BounceReasons.UserUnknown), new("the email account that you tried to reach is disabled", BounceReasons.Suspend),
                new("the email account that you tried to reach is over quota", BounceReasons.MailboxFull),
                new("ip not in whitelist for rcpt domain", BounceReasons.Blocked), new("mail sending denied", BounceReasons.Rejected), new("mail relay denied", BounceReasons.NoRelaying),
                new("the user or domain that you are sending to (or from) has a policy that prohibited", BounceReasons.PolicyViolation),
                new("timeout - closing connection", BounceReasons.Expired, 451), new("try again later, closing connection", BounceReasons.Blocked, 421)],
            "Google's SMTP error reference (G-ERR); Workspace tenants answer with the same texts as Gmail"),
        new("yahoo", "Yahoo / AOL", ReceiverKind.MailboxProvider, ["yahoodns.net", "yahoo.com", "aol.com", "yahoo.co.jp"],
            ["yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "aim.com"], ["yahooinc.com", "help.yahoo.com", "postmaster.yahoo"],
            [new("no mx record found for domain", BounceReasons.NotAccept), new("not accepted for policy reasons", BounceReasons.PolicyViolation, 554)],
            "Yahoo Sender Hub error codes (Y-ERR); AOL mail runs on Yahoo's platform"),
        new("apple", "iCloud Mail", ReceiverKind.MailboxProvider, ["icloud.com", "me.com", "apple.com"], ["icloud.com", "me.com", "mac.com"],
            ["support.apple.com"], [new("host/domain does not accept mail", BounceReasons.NotAccept)],
            "Apple postmaster page (A-PM); CS01/HME1 replies"),
        new("comcast", "Comcast", ReceiverKind.MailboxProvider, ["comcast.net"], ["comcast.net", "xfinity.com"],
            ["comcast.net/mail-error-codes", "postmaster.comcast.net"], [],
            "Comcast postmaster error-code page (ES/BL/RL codes)"),
        new("cox", "Cox", ReceiverKind.MailboxProvider, ["cox.net"], ["cox.net"], ["cox.com/", "cox too many"],
            [new("too many sessions from", BounceReasons.TooManyConn), new("message threshold exceeded", BounceReasons.TooManyConn), new("too many invalid recipients", BounceReasons.Blocked),
                new("rejected - no rdns", BounceReasons.Blocked), new("dns check failure", BounceReasons.Blocked), new("recipient rejected", BounceReasons.UserUnknown)],
            "Cox published error codes (CXBL, CXCNCT, IPBLnnnn, ...)"),
        new("att", "AT&T", ReceiverKind.MailboxProvider, ["att.net", "prodigy.net", "sbcglobal.net"], ["att.net", "sbcglobal.net", "bellsouth.net", "prodigy.net"],
            ["abuse_rbl@abuse-att.net"], [new("has restricted sms e-mail", BounceReasons.Filtered)],
            "AT&T postmaster replies (RBL/DNSRBL codes)"),
        new("spectrum", "Spectrum", ReceiverKind.MailboxProvider, ["charter.net", "rr.com", "spectrum.net"], ["charter.net", "rr.com", "twc.com", "roadrunner.com"],
            ["spectrum.net", "aup#"], [], "Spectrum 'understanding email error codes' (AUP#I-nnnn)"),
        new("verizon", "Verizon", ReceiverKind.MailboxProvider, ["verizon.net", "vtext.com"], ["verizon.net", "vtext.com", "vzwpix.com"], [],
            [], "Verizon's SMS/MMS gateways answer in Sendmail-like replies"),
        new("orange", "Orange", ReceiverKind.MailboxProvider, ["orange.fr", "wanadoo.fr", "laposte.net"], ["orange.fr", "wanadoo.fr", "laposte.net"],
            ["smtp-in.orange.fr", "postmaster.orange"], [], "Orange postmaster (OFR_nnn / LPNnnn_nnn codes)"),
        new("free", "Free", ReceiverKind.MailboxProvider, ["free.fr"], ["free.fr", "aliceadsl.fr"], ["free.fr"],
            [new("too many errors from your ip", BounceReasons.TooManyConn), new("trop de connexions", BounceReasons.TooManyConn)], "Free's SMTP replies (French/English)"),
        new("sfr", "SFR", ReceiverKind.MailboxProvider, ["sfr.fr", "neuf.fr"], ["sfr.fr", "neuf.fr"], ["sfr.fr"], [], "SFR postmaster replies"),
        new("gmx", "GMX / WEB.DE", ReceiverKind.MailboxProvider, ["gmx.net", "gmx.com", "web.de", "mail.com", "1and1.com", "ionos.com", "kundenserver.de"],
            ["gmx.net", "gmx.de", "gmx.com", "web.de", "mail.com"], ["postmaster.gmx", "postmaster.web.de", "nemesis esmtp", "(mxgmx"],
            [], "GMX postmaster error messages (no enhanced status; case URL on the last line)"),
        new("t-online", "T-Online", ReceiverKind.MailboxProvider, ["t-online.de"], ["t-online.de", "magenta.de"], ["tosa@rx.t-online.de", "toda@rx.t-online.de", "rx.t-online.de"],
            [new("dialup/transient ip not allowed", BounceReasons.Blocked)], "T-Online postmaster (BL / DIAL replies)"),
        new("mail.ru", "Mail.ru", ReceiverKind.MailboxProvider, ["mail.ru"], ["mail.ru", "inbox.ru", "list.ru", "bk.ru"], ["mail.ru"],
            [new("we do not accept mail from dynamic ips", BounceReasons.Blocked), new("spam message rejected", BounceReasons.SpamDetected)], "Mail.ru replies"),
        new("yandex", "Yandex", ReceiverKind.MailboxProvider, ["yandex.net", "yandex.ru"], ["yandex.ru", "yandex.com", "ya.ru"], ["yandex"],
            [], "Yandex replies"),
        new("qq", "Tencent QQ Mail", ReceiverKind.MailboxProvider, ["qq.com", "exmail.qq.com"], ["qq.com", "foxmail.com", "vip.qq.com"], ["service.mail.qq.com", "mail.qq.com"],
            [new("mailbox unavailable or access denied", BounceReasons.TooManyConn), new("connection frequency limited", BounceReasons.TooManyConn), new("ip frequency limited", BounceReasons.TooManyConn),
                new("domain frequency limited", BounceReasons.TooManyConn), new("sender frequency limited", BounceReasons.TooManyConn), new("connection denied", BounceReasons.TooManyConn),
                new("mail is rejected by recipients", BounceReasons.Filtered), new("suspected spam ip", BounceReasons.Blocked), new("mail content denied", BounceReasons.SpamDetected),
                new("spam is embedded in the email", BounceReasons.SpamDetected), new("bad address syntax", BounceReasons.SyntaxError), new("mailbox not found", BounceReasons.UserUnknown)],
            "Tencent QQ Mail help pages (service.mail.qq.com)"),
        new("netease", "NetEase (163/126)", ReceiverKind.MailboxProvider, ["163.com", "126.com", "netease.com", "yeah.net"], ["163.com", "126.com", "yeah.net"],
            ["mail.163.com/help", "dt:spm"], [new("user suspended", BounceReasons.Suspend)], "NetEase help page (help_spam_16: DT:SPM, MI:, RP: codes)"),
        new("naver", "Naver", ReceiverKind.MailboxProvider, ["naver.com"], ["naver.com"], ["naver.com"], [], "Naver replies"),
        new("docomo", "NTT docomo", ReceiverKind.MailboxProvider, ["docomo.ne.jp"], ["docomo.ne.jp"], ["docomo"],
            // docomo's MTA answers "550 Unknown user" after DATA when the recipient's own reception settings refuse the sender.
            [new("unknown user", BounceReasons.Rejected, 550, "DATA", OnlyWithGenericStatus: true), new("too many recipients", BounceReasons.TooManyConn, 552), new("too much mail data", BounceReasons.MailboxFull, 552)],
            "NTT docomo reception settings (受信拒否設定) and its SMTP replies"),
        new("au", "au by KDDI (EZweb)", ReceiverKind.MailboxProvider, ["ezweb.ne.jp", "au.com"], ["ezweb.ne.jp", "au.com"], ["ezweb"],
            // au's reception filter answers "550 : User unknown" (no address) and "recipients was rejected by a remote mail
            // server"; a real unknown address is written "550 <user@...>: User unknown".
            [new("recipients was rejected by a remote mail server", BounceReasons.Filtered), new("550 : user unknown", BounceReasons.Filtered)],
            "au (KDDI) reception filter replies",
            // au's own bounce ("Mail System Error - Returned Mail") opens with one headline for all the recipients listed
            // under it, then quotes the SMTP reply ("550 user unknown"): the headline is the account's state.
            [new("the user(s) account is disabled", BounceReasons.Suspend), new("the user(s) account is temporarily limited", BounceReasons.Suspend),
                new("the user(s) account is temporarily over quota", BounceReasons.MailboxFull), new("your message was not delivered within", BounceReasons.Expired)]),
        new("softbank", "SoftBank", ReceiverKind.MailboxProvider, ["softbank.ne.jp", "vodafone.ne.jp", "i.softbank.jp"], ["softbank.ne.jp", "i.softbank.jp"], [],
            [], "SoftBank mobile mail"),
        new("zoho", "Zoho Mail", ReceiverKind.MailboxProvider, ["zoho.com", "zohomail.com"], ["zoho.com", "zohomail.com"], ["zoho"], [], "Zoho Mail replies"),
        new("fastmail", "Fastmail", ReceiverKind.MailboxProvider, ["messagingengine.com", "fastmail.com"], ["fastmail.com", "fastmail.fm"], ["messagingengine.com"], [], "Fastmail replies"),
        new("godaddy", "GoDaddy", ReceiverKind.MailboxProvider, ["secureserver.net"], [], ["secureserver.net", "godaddy"],
            [new("account does not exist", BounceReasons.UserUnknown), new("recipient not found", BounceReasons.UserUnknown), new("account disabled", BounceReasons.Suspend), new("account storage limit", BounceReasons.MailboxFull)],
            "GoDaddy email error codes (IBnnn)"),
        new("facebook", "Facebook", ReceiverKind.MailboxProvider, ["facebook.com", "facebookmail.com"], ["facebook.com"], ["facebook.com"],
            [new("refused due to recipient preferences", BounceReasons.Filtered)], "Facebook SMTP replies (RCP-P/POL-P/MSG-P codes)"),
        new("mimecast", "Mimecast", ReceiverKind.SecurityGateway, ["mimecast.com", "mimecast.co.za", "mimecast-offshore.com"], [], ["mimecast"],
            [new("email rejected due to security policies", BounceReasons.VirusDetected, 554), new("maximum email size exceeded", BounceReasons.MesgTooBig),
                new("mail loop detected", BounceReasons.NetworkError), new("open relay not allowed", BounceReasons.NoRelaying), new("account inbounds disabled", BounceReasons.NotAccept),
                new("account outbounds disabled", BounceReasons.OnHold), new("hostname is not authorized", BounceReasons.OnHold), new("past expiration", BounceReasons.OnHold),
                new("anti-spoofing policy", BounceReasons.PolicyViolation), new("content examination policy", BounceReasons.PolicyViolation), new("host network not allowed", BounceReasons.PolicyViolation),
                new("administrative prohibition envelope blocked", BounceReasons.Rejected), new("envelope blocked", BounceReasons.Rejected), new("blocked senders", BounceReasons.Rejected),
                new("block policy for envelope from", BounceReasons.Rejected), new("sender address blocked", BounceReasons.Blocked), new("ip temporarily blacklisted", BounceReasons.Blocked),
                new("local ct ip reputation", BounceReasons.Blocked), new("sender invalid - envelope rejected", BounceReasons.Blocked), new("recipient temporarily unavailable", BounceReasons.Blocked, 451),
                new("internal resources are temporarily unavailable", BounceReasons.Blocked, 451), new("incorrect authentication data", BounceReasons.SecurityError),
                new("route requires", BounceReasons.SecurityError), new("unable to process", BounceReasons.SystemError, 451), new("message ended early", BounceReasons.SystemError),
                new("account service is temporarily unavailable", BounceReasons.TooManyConn), new("too many recipients", BounceReasons.TooManyConn, 452),
                new("exceeding outbound thread limit", BounceReasons.TooManyConn), new("invalid recipient", BounceReasons.UserUnknown), new("user unknown", BounceReasons.UserUnknown),
                new("invalid address", BounceReasons.UserUnknown, 501)],
            "Mimecast SMTP error codes reference (community.mimecast.com)"),
        new("proofpoint", "Proofpoint", ReceiverKind.SecurityGateway, ["pphosted.com", "ppe-hosted.com", "proofpoint.com"], [], ["proofpoint.com", "pphosted"],
            [new("blocked - see https://support.proofpoint.com/dnsbl-lookup", BounceReasons.Blocked)], "Proofpoint Essentials/PPS replies (dnsbl-lookup link)"),
        new("barracuda", "Barracuda", ReceiverKind.SecurityGateway, ["barracudanetworks.com", "ess.barracuda.com", "cudamail.com"], [],
            // Not the word "barracuda" alone: b.barracudacentral.org is a DNS blocklist any MTA may query.
            ["ess.barracudanetworks.com"],
            [new("message content rejected", BounceReasons.SpamDetected)], "Barracuda Email Security Gateway replies"),
        new("messagelabs", "MessageLabs / Broadcom Email Security.cloud", ReceiverKind.SecurityGateway, ["messagelabs.com", "symanteccloud.com"], [], ["messagelabs", "symanteccloud"],
            [new("rejected by the recipient's policy", BounceReasons.PolicyViolation)], "Symantec Email Security.cloud error codes"),
        new("cisco", "Cisco Secure Email (IronPort)", ReceiverKind.SecurityGateway, ["iphmx.com", "ironport.com"], [], ["iphmx", "ironport"],
            [new("rejected by reputation", BounceReasons.Blocked), new("senderbase", BounceReasons.Blocked)], "Cisco Secure Email (IronPort) HAT/SBRS rejections"),
        new("trendmicro", "Trend Micro Email Security", ReceiverKind.SecurityGateway, ["tmes.trendmicro.com", "in.tmes.trendmicro", "trendmicro.com"], [], ["trendmicro", "interscan"],
            [], "Trend Micro Email Security / InterScan notices"),
        new("sophos", "Sophos Email", ReceiverKind.SecurityGateway, ["hydra.sophos.com", "sophos.com"], [], ["sophos"], [], "Sophos Email replies"),
        new("mcafee", "McAfee / MXLogic", ReceiverKind.SecurityGateway, ["mxlogic.net", "mcafee.com"], [], ["mxlogic"],
            [new("denied [bouncedeny]", BounceReasons.Rejected), new("fully qualified email address required", BounceReasons.Rejected)], "McAfee Email Protection / MXLogic replies"),
        new("amazon-ses", "Amazon SES (receiving)", ReceiverKind.MailboxProvider, ["inbound-smtp.us-east-1.amazonaws.com", "inbound-smtp.eu-west-1.amazonaws.com"], [], [], [], "Amazon SES receiving endpoints"),
    ];

    private static readonly Dictionary<string, Receiver> ByKey = All.ToDictionary(r => r.Key, StringComparer.Ordinal);

    public static Receiver? Find(string? key) => key is not null && ByKey.TryGetValue(key, out var receiver) ? receiver : null;

    /// <summary>
    /// Recognises a receiver other than Microsoft, Google and Yahoo: the remote MTA's host name first (the surest sign),
    /// then a marker the receiver writes in its replies, then the recipient's domain.
    /// </summary>
    public static Receiver? Recognise(string lowerDomain, string lowerRemoteHost, string lowerText)
    {
        // Most replies name no receiver at all: one linear scan for every host suffix and marker settles that before
        // the catalogue is walked receiver by receiver (which keeps its order: the first receiver in the list wins).
        if (lowerRemoteHost.Length > 0 && lowerRemoteHost.AsSpan().ContainsAny(AnyHostSuffix))
        {
            foreach (var receiver in All)
            {
                foreach (var suffix in receiver.HostSuffixes)
                {
                    if (HostMatches(lowerRemoteHost, suffix))
                    {
                        return receiver;
                    }
                }
            }
        }

        if (lowerText.Length > 0 && lowerText.AsSpan().ContainsAny(AnyTextMarker))
        {
            foreach (var receiver in All)
            {
                foreach (var marker in receiver.TextMarkers)
                {
                    if (lowerText.Contains(marker, StringComparison.Ordinal))
                    {
                        return receiver;
                    }
                }
            }
        }

        foreach (var receiver in All)
        {
            foreach (var domain in receiver.Domains)
            {
                if (lowerDomain.EndsWith(domain, StringComparison.Ordinal) &&
                    (lowerDomain.Length == domain.Length || lowerDomain[^(domain.Length + 1)] == '.'))
                {
                    return receiver;
                }
            }
        }

        return null;
    }

    private static readonly SearchValues<string> AnyHostSuffix = SearchValues.Create(All.SelectMany(r => r.HostSuffixes).Distinct().ToArray(), StringComparison.Ordinal);

    private static readonly SearchValues<string> AnyTextMarker = SearchValues.Create(All.SelectMany(r => r.TextMarkers).Distinct().ToArray(), StringComparison.Ordinal);

    /// <summary>The reason a receiver's own documented text means, or null when the receiver wrote none of them.</summary>
    public static string? ReasonFor(string? key, string lowerText, int? replyCode, string? command, string? status = null)
    {
        if (Find(key) is not { } receiver || lowerText.Length == 0)
        {
            return null;
        }

        foreach (var phrase in receiver.Phrases)
        {
            if ((phrase.ReplyCode is null || phrase.ReplyCode == replyCode) && (phrase.Command is null || phrase.Command == command) &&
                (!phrase.OnlyWithGenericStatus || status is null || status.EndsWith(".0.0", StringComparison.Ordinal)) &&
                lowerText.Contains(phrase.Text, StringComparison.Ordinal))
            {
                return phrase.Reason;
            }
        }

        return null;
    }

    /// <summary>
    /// The reason a receiver's bounce states in its headline above the recipients (<see cref="Receiver.NoticeHeadlines"/>),
    /// or null. <paramref name="lowerNotice"/> is the bounce's own text, lower-cased, without the returned message.
    /// </summary>
    public static string? HeadlineReasonFor(string? key, string lowerNotice)
    {
        if (Find(key)?.NoticeHeadlines is not { } headlines || lowerNotice.Length == 0)
        {
            return null;
        }

        foreach (var headline in headlines)
        {
            if (lowerNotice.Contains(headline.Text, StringComparison.Ordinal))
            {
                return headline.Reason;
            }
        }

        return null;
    }

    /// <summary>"mx1.cox.net" ends in "cox.net" at a label boundary; "notcox.net" does not.</summary>
    private static bool HostMatches(string host, string suffix)
    {
        var at = host.IndexOf(suffix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + suffix.Length;
            var startsLabel = at == 0 || host[at - 1] is '.' or '-' or ' ' or '[' or ';' or '(';
            var endsName = end == host.Length || !(char.IsAsciiLetterOrDigit(host[end]) || host[end] == '-');
            if (startsLabel && endsName)
            {
                return true;
            }

            at = host.IndexOf(suffix, at + 1, StringComparison.Ordinal);
        }

        return false;
    }
}
