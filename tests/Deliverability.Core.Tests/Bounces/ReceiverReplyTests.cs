using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>
/// One reply per receiver of the catalogue, written here after each receiver's published code list or its documented
/// wording (docs/parser.md, "Receivers"): who refused, with which code, and what it means.
/// </summary>
public class ReceiverReplyTests
{
    private static readonly BounceParser Parser = new();

    [Theory]
    [InlineData("bob@outlook.com", "outlook-com.olc.protection.outlook.com", "5.0.0", "550 Requested action not taken: mailbox unavailable", "outlook.com", null, "userunknown")]
    [InlineData("bob@contoso.example", "contoso-example.mail.protection.outlook.com", "5.4.1", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR01FT012.eop-EUR01.prod.protection.outlook.com]", "microsoft365", null, "userunknown")]
    [InlineData("bob@corp.example", "aspmx.l.google.com", "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist.", "google-workspace", null, "userunknown")]
    [InlineData("bob@icloud.com", "mx01.mail.icloud.com", "5.7.1", "550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137", "apple", "CS01", "blocked")]
    [InlineData("bob@cox.net", "cxr.mx.a.cloudfilter.net", "5.0.0", "554 cxr.mx.a.cloudfilter.net cxr ESMTP server not available. IP 192.0.2.5 blocked. https://www.cox.com/ CXBL", "cox", "CXBL", "blocked")]
    [InlineData("bob@comcast.net", "mx1.comcast.net", "5.0.0", "554 resimta-h1p.sys.comcast.net 192.0.2.5 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001", "comcast", "BL000001", "blocked")]
    [InlineData("bob@att.net", "ff-ip4-mx-vip1.prodigy.net", "5.0.0", "553 5.3.0 flpd575 DNSBL:RBL 521< 192.0.2.5 >_is_blocked.For assistance forward this email to abuse_rbl@abuse-att.net", "att", null, "blocked")]
    [InlineData("bob@charter.net", "mx.charter.net", "5.0.0", "554 5.7.1 Mail rejected (AUP#In-1310) for policy reasons", "spectrum", "AUP#IN-1310", "toomanyconn")]
    [InlineData("bob@verizon.net", "mx.verizon.net", "5.0.0", "550 5.1.1 bob@verizon.net: Recipient address rejected: Account disabled", "verizon", null, "suspend")]
    [InlineData("bob@orange.fr", "smtp-in.orange.fr", "5.1.1", "552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]", "orange", "OFR_417", "mailboxfull")]
    [InlineData("bob@wanadoo.fr", "smtp-in.orange.fr", "5.0.0", "550 mwinf5c10 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR006_103 192.0.2.5 [103]", "orange", "OFR006_103", "blocked")]
    [InlineData("bob@free.fr", "mx1.free.fr", "4.0.0", "421 Too many connections from your IP, try later", "free", null, "toomanyconn")]
    [InlineData("bob@sfr.fr", "msfrf2.sfr.fr", "5.0.0", "554 5.7.1 Message rejete : contenu considere comme spam", "sfr", null, "spamdetected")]
    [InlineData("bob@gmx.de", "mx00.emig.gmx.net", "5.0.0", "550 Requested action not taken: mailbox unavailable", "gmx", null, "userunknown")]
    [InlineData("bob@t-online.de", "mx00.t-online.de", "5.0.0", "554 IP=192.0.2.5 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)", "t-online", "BL", "blocked")]
    [InlineData("bob@mail.ru", "mxs.mail.ru", "5.0.0", "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id or report details to abuse@corp.mail.ru.", "mail.ru", null, "spamdetected")]
    [InlineData("bob@yandex.ru", "mx.yandex.ru", "5.7.1", "550 5.7.1 No such user!", "yandex", null, "userunknown")]
    [InlineData("bob@qq.com", "mx3.qq.com", "5.0.0", "550 Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022", "qq", null, "spamdetected")]
    [InlineData("bob@163.com", "163mx01.mxmail.netease.com", "5.0.0", "554 DT:SPM 163 mx14,QMCowAB9 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.5", "netease", "DT:SPM", "spamdetected")]
    [InlineData("bob@126.com", "126mx01.mxmail.netease.com", "5.0.0", "550 MI:SPF mx14 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.5", "netease", "MI:SPF", "authfailure")]
    [InlineData("bob@naver.com", "mx1.naver.com", "5.1.1", "550 5.1.1 Recipient address rejected: User unknown", "naver", null, "userunknown")]
    [InlineData("bob@docomo.ne.jp", "mfsmax.docomo.ne.jp", "5.1.1", "550 Unknown user bob@docomo.ne.jp", "docomo", null, "userunknown")]
    [InlineData("bob@softbank.ne.jp", "mx.softbank.ne.jp", "5.0.0", "550 <bob@softbank.ne.jp>... User Unknown", "softbank", null, "userunknown")]
    [InlineData("bob@zoho.com", "mx.zoho.com", "5.1.1", "550 5.1.1 User does not exist - <bob@zoho.com>", "zoho", null, "userunknown")]
    [InlineData("bob@fastmail.com", "in1-smtp.messagingengine.com", "5.1.1", "550 5.1.1 <bob@fastmail.com>: Recipient address rejected: User unknown in virtual mailbox table", "fastmail", null, "userunknown")]
    [InlineData("bob@facebook.com", "mx.facebook.com", "5.0.0", "550 5.1.1 RCP-P1 Domain facebook.com no longer available for external mail", "facebook", "RCP-P1", "userunknown")]
    [InlineData("bob@corp.example", "us-smtp-inbound-1.mimecast.com", "5.0.0", "550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550", "mimecast", null, "rejected")]
    [InlineData("bob@corp.example", "mx0a-001.pphosted.com", "5.7.0", "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.5", "proofpoint", null, "blocked")]
    [InlineData("bob@corp.example", "d123.ess.barracudanetworks.com", "5.0.0", "554 Service unavailable; Client host [192.0.2.5] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?ip=192.0.2.5", "barracuda", null, "blocked")]
    [InlineData("bob@corp.example", "cluster1.eu.messagelabs.com", "5.0.0", "550 Invalid recipient <bob@corp.example> (#5.1.1)", "messagelabs", null, "userunknown")]
    [InlineData("bob@corp.example", "mx1.corp.iphmx.com", "5.0.0", "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation.", "cisco", null, "badreputation")]
    [InlineData("bob@corp.example", "corp.in.tmes.trendmicro.com", "5.0.0", "550 5.7.1 Mail from 192.0.2.5 blocked using Trend Micro Email Reputation database", "trendmicro", null, "blocked")]
    [InlineData("bob@corp.example", "mx-01-eu-west-1.prod.hydra.sophos.com", "5.7.1", "550 5.7.1 Message rejected due to spam content", "sophos", null, "spamdetected")]
    public void Parse_WhenAReceiverRefusesInItsOwnWords_NamesItItsCodeAndTheReason(string recipient, string remoteMta, string status, string diagnostic,
        string provider, string? code, string reason)
    {
        var parsed = Parser.Parse(ShortDsn.Build(recipient, remoteMta, status, diagnostic));

        var result = Assert.Single(parsed.Recipients);
        Assert.Equal((provider, code, reason), (result.Provider, result.ProviderCode, result.Reason));
    }
}
