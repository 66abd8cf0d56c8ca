using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>
/// The third round of generality probes (see <see cref="UnseenBounceProbeTests"/>): bounces written here for classes of
/// mail the parser had not seen, each laid out as its MTA, receiver or gateway writes it (TestData/Bounces/Probes/&lt;class&gt;).
/// </summary>
public class UnseenBounceProbeTests2
{
    private static readonly BounceParser Parser = new();

    private static ParsedMessage Parse(string cls, string fixture) => Parser.Parse(Fixtures.Bytes(Path.Combine("Probes", cls, fixture)));

    private static RecipientResult OnlyRecipient(string cls, string fixture)
    {
        var parsed = Parse(cls, fixture);
        Assert.Null(parsed.Error);
        return Assert.Single(parsed.Recipients);
    }

    private static void AssertProbe(string cls, string fixture, string recipient, string reason, string? provider, BounceKind kind = BounceKind.Bounce)
    {
        var result = OnlyRecipient(cls, fixture);

        Assert.Equal((recipient, reason, kind), (result.Recipient, result.Reason, result.Kind));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Plain-text (non-DSN) bounces of big mailbox providers and old MTAs, in their languages: over quota, unknown user, disabled account, unknown domain.</summary>
    [Theory]
    [InlineData("yahoo-mailbox-disabled.eml", "bea.r@yahoo.com", "suspend", "yahoo")]
    [InlineData("aol-old-sendmail-mailbox-not-found.eml", "carlwalsh77@aol.com", "userunknown", "yahoo")]
    [InlineData("earthlink-quota.eml", "dee.k@earthlink.net", "mailboxfull", null)]
    [InlineData("tonline-german-postfach-voll.eml", "emil.kurz@t-online.de", "mailboxfull", "t-online")]
    [InlineData("libero-italian-casella-piena.eml", "franca.b@libero.it", "mailboxfull", null)]
    [InlineData("orange-french-boite-pleine.eml", "gael.m@orange.fr", "mailboxfull", "orange")]
    [InlineData("mailru-account-disabled.eml", "hana.p@mail.ru", "suspend", "mail.ru")]
    [InlineData("yandex-russian-mailbox-full.eml", "igor.s@yandex.ru", "mailboxfull", "yandex")]
    [InlineData("netease-chinese-user-not-exist.eml", "jun.w@163.com", "userunknown", "netease")]
    [InlineData("qq-chinese-mailbox-full.eml", "8801234567@qq.com", "mailboxfull", "qq")]
    [InlineData("japanese-carrier-over-quota.eml", "kumi.t@softbank.ne.jp", "mailboxfull", "softbank")]
    [InlineData("comcast-domain-unknown.eml", "lou@comcastt.net", "hostunknown", null)]
    public void Parse_IspPlainTextBounces_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider) =>
        AssertProbe("isp-plaintext", fixture, recipient, reason, provider);

    /// <summary>Mailbox-full answers across MTAs and languages, and suspended, disabled or inactive accounts.</summary>
    [Theory]
    [InlineData("exim-appendfile-quota.eml", "ana@hosting.example", "mailboxfull")]
    [InlineData("exchange-2010-shutoff-quota.eml", "ben.ortiz@corp.example", "mailboxfull")]
    [InlineData("postfix-dovecot-lmtp-quota.eml", "cruz@example.net", "mailboxfull")]
    [InlineData("sendmail-spanish-buzon-lleno.eml", "dolores@empresa.example", "mailboxfull")]
    [InlineData("qmail-portuguese-caixa-cheia.eml", "edu@provedor.example", "mailboxfull")]
    [InlineData("dutch-mailbox-vol.eml", "fenna@bedrijf.example", "mailboxfull")]
    [InlineData("gmail-inactive-account.eml", "gil.inactive@gmail.com", "suspend")]
    [InlineData("postfix-account-expired-german.eml", "hans.alt@firma.example", "suspend")]
    [InlineData("isp-mailbox-frozen-inactivity.eml", "ines.w@isp.example", "suspend")]
    [InlineData("courier-spanish-cuenta-suspendida.eml", "jorge@empresa.example", "suspend")]
    public void Parse_MailboxFullOrSuspended_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason) =>
        AssertProbe("quota-suspend", fixture, recipient, reason, null);

    /// <summary>
    /// Delay notices (DSN "Action: delayed", and text notices that say the MTA keeps trying) are kind delay, never a
    /// final failure; their reason is what the last answer says, else expired (still in the queue).
    /// </summary>
    [Theory]
    [InlineData("sendmail-warning-4-hours.eml", "kai@slow.example", "expired")]
    [InlineData("exim-warning-delayed.eml", "lea@greylist.example", "blocked")]
    [InlineData("exim-warning-timeout-no-code.eml", "rolf@down.example", "expired")]
    [InlineData("postfix-delayed-mail.eml", "mara@full.example", "mailboxfull")]
    [InlineData("exchange-delay-dsn.eml", "nico@partner.example", "expired")]
    [InlineData("gmail-delayed-dns.eml", "olav@dnsflap.example", "networkerror")]
    [InlineData("text-delay-notice-no-code.eml", "pam@busy.example", "expired")]
    [InlineData("courier-warning-delayed.eml", "quin@deferral.example", "systemerror")]
    public void Parse_DelayNotices_AreDelaysWithTheLastAnswersReason(string fixture, string recipient, string reason)
    {
        AssertProbe("delays", fixture, recipient, reason, null, BounceKind.Delay);
        var result = OnlyRecipient("delays", fixture);
        Assert.Equal("delayed", result.Action);
        Assert.False(result.HardBounce);
    }

    /// <summary>Gateways' verdicts: a virus or malware (virusdetected), spam (spamdetected), a listed IP (blocked), a banned attachment (policyviolation).</summary>
    [Theory]
    [InlineData("messagelabs-virus.eml", "sara@client.example", "virusdetected", "messagelabs")]
    [InlineData("sophos-malware-dsn.eml", "timo@sophos-client.example", "virusdetected", "sophos")]
    [InlineData("clamav-milter-infected.eml", "ugo@mil.example", "virusdetected", null)]
    [InlineData("trendmicro-virus-japanese.eml", "aiko@corp.example.jp", "virusdetected", "trendmicro")]
    [InlineData("ironport-spam-dsn.eml", "vera@bank.example", "spamdetected", "cisco")]
    [InlineData("proofpoint-spam-rule.eml", "xia@corp-pp.example", "spamdetected", "proofpoint")]
    [InlineData("rspamd-spam-reject.eml", "yann@small.example", "spamdetected", null)]
    [InlineData("spamassassin-score.eml", "bodo@hoster.example", "spamdetected", null)]
    [InlineData("barracuda-reputation.eml", "walt@school.example", "blocked", null)]
    [InlineData("amavis-banned-attachment.eml", "zeno@uni.example", "policyviolation", null)]
    public void Parse_GatewayVerdicts_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider) =>
        AssertProbe("gateway-verdicts", fixture, recipient, reason, provider);

    /// <summary>Relaying refused, unknown hosts and domains, loops, and local delivery programs that failed.</summary>
    [Theory]
    [InlineData("sendmail-relaying-denied.eml", "cato@other.example", "norelaying")]
    [InlineData("exim-relay-not-permitted.eml", "dana@moved.example", "norelaying")]
    [InlineData("postfix-nxdomain-dsn.eml", "egon@typo-domian.example", "hostunknown")]
    [InlineData("exim-unrouteable-domain.eml", "fiona@no-such-domain.example", "hostunknown")]
    [InlineData("exchange-dns-nonexistent-domain.eml", "gus@nonexist.example", "hostunknown")]
    [InlineData("qmail-no-host-by-that-name.eml", "kurt@no-host.example", "networkerror")]
    [InlineData("courier-dns-lookup-failed.eml", "ulla@lame-dns.example", "networkerror")]
    [InlineData("postfix-mail-loop.eml", "hilde@example.org", "systemerror")]
    [InlineData("exim-too-many-received.eml", "ivo@loop.example", "networkerror")]
    [InlineData("postfix-pipe-failed.eml", "tickets@example.org", "mailererror")]
    [InlineData("exim-pipe-return-code.eml", "jana@example.org", "mailererror")]
    public void Parse_RelayHostLoopOrMailer_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason) =>
        AssertProbe("relay-host-loop", fixture, recipient, reason, null);

    /// <summary>Every failed recipient and no other address: several recipients with their own reasons, header-only recipients, quoted and internationalised addresses, contacts and the sender in prose.</summary>
    [Theory]
    [InlineData("dsn-three-recipients-three-reasons.eml", "amy@a.example:userunknown bob@b.example:mailboxfull cat@c.example:blocked")]
    [InlineData("dsn-delayed-and-failed-mixed.eml", "ilse@i.example:userunknown jan@j.example:expired")]
    [InlineData("x-failed-recipients-only.eml", "dirk@d.example:hostunknown eva.mixed@e.example:hostunknown")]
    [InlineData("quoted-local-part.eml", "\"fred smith\"@f.example:userunknown")]
    [InlineData("idn-utf8-recipient.eml", "jürgen@müller.example:userunknown")]
    [InlineData("transcript-angle-only.eml", "gina@g.example:userunknown")]
    [InlineData("sender-in-prose-and-header.eml", "hugo@h.example:userunknown")]
    [InlineData("exim-text-three-reasons.eml", "ann@a.example:userunknown ben@b.example:mailboxfull cy@c.example:spamdetected")]
    [InlineData("qmail-text-two-reasons.eml", "dee@d.example:userunknown eve@e.example:mailboxfull")]
    [InlineData("sendmail-text-two-reasons.eml", "fay@f.example:userunknown gus@g.example:blocked")]
    public void Parse_RecipientPrecision_ReportsEveryFailedRecipientAndNoOther(string fixture, string expected)
    {
        var parsed = Parse("recipients-multi", fixture);

        Assert.Null(parsed.Error);
        Assert.Equal(expected, string.Join(' ', parsed.Recipients.Select(r => r.Recipient + ":" + r.Reason)));
        Assert.DoesNotContain(parsed.Recipients, r => r.Recipient == "news@example.com");
    }

    [Fact]
    public void Parse_WhenOneRecipientIsDelayedAndAnotherFailed_EachKeepsItsKind()
    {
        var parsed = Parse("recipients-multi", "dsn-delayed-and-failed-mixed.eml");

        Assert.Equal([BounceKind.Bounce, BounceKind.Delay], parsed.Recipients.Select(r => r.Kind));
    }

    /// <summary>Framing that MIME readers choke on: mixed line ends, no headers, raw 8-bit headers, a missing closing boundary, base64 text, mislabelled charsets, a bounce forwarded as an attachment.</summary>
    [Theory]
    [InlineData("mixed-line-endings.eml", "anke@a.example", "userunknown")]
    [InlineData("headerless-postfix-body.eml", "bert@b.example", "mailboxfull")]
    [InlineData("raw-8bit-headers.eml", "céline@c.example", "userunknown")]
    [InlineData("missing-closing-boundary.eml", "dora@d.example", "spamdetected")]
    [InlineData("plain-base64-no-dsn.eml", "egon@e.example", "mailboxfull")]
    [InlineData("cp1252-labelled-latin1.eml", "fritz@f.example", "userunknown")]
    [InlineData("sjis-labelled-iso2022jp.eml", "gen@g.example.jp", "userunknown")]
    [InlineData("sjis-labelled-iso2022jp-quota.eml", "haru@h.example.jp", "mailboxfull")]
    [InlineData("eucjp-labelled-iso2022jp-quota.eml", "iori@i.example.jp", "mailboxfull")]
    [InlineData("forwarded-bounce-rfc822.eml", "hedy@h.example", "userunknown")]
    public void Parse_AwkwardFraming_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason) =>
        AssertProbe("framing", fixture, recipient, reason, null);

    /// <summary>Authentication, reverse DNS, reputation and blocklist refusals inside Postfix's final report (a 4xx there is a failure: the report says it stopped).</summary>
    [Theory]
    [InlineData("gmail-dmarc-5.7.26.eml", "abe@gmail.com", "authfailure", "gmail")]
    [InlineData("outlook-dmarc-5.7.509.eml", "bel@outlook.com", "authfailure", "outlook.com")]
    [InlineData("yahoo-policy-5.7.9.eml", "cid@yahoo.com", "policyviolation", "yahoo")]
    [InlineData("generic-spf-fail.eml", "dag@corp.example", "authfailure", null)]
    [InlineData("gmail-ptr-5.7.25.eml", "eli@gmail.com", "requireptr", "gmail")]
    [InlineData("gmail-reputation-4.7.0.eml", "fay@gmail.com", "badreputation", "gmail")]
    [InlineData("spamhaus-pbl-generic.eml", "gus@isp.example", "blocked", null)]
    [InlineData("gmail-dkim-5.7.27.eml", "hal@gmail.com", "authfailure", "gmail")]
    [InlineData("postfix-unknown-client.eml", "ivy@host.example", "requireptr", null)]
    public void Parse_AuthenticationAndReputation_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider) =>
        AssertProbe("auth-reputation", fixture, recipient, reason, provider);

    /// <summary>Smaller MTAs' own layouts (hMailServer, CommuniGate Pro, Kerio Connect, MDaemon, Mercury/32, GroupWise, IceWarp, Axigen, SmarterMail).</summary>
    [Theory]
    [InlineData("hmailserver-remote-replied.eml", "kim@remote-h.example", "userunknown")]
    [InlineData("communigate-account-full.eml", "max@cgp.example", "mailboxfull")]
    [InlineData("kerio-no-such-mailbox.eml", "nora@kerio.example", "userunknown")]
    [InlineData("mdaemon-transcript-user-unknown.eml", "otto@o.example", "userunknown")]
    [InlineData("mercury-no-such-local-user.eml", "pia@mercury.example", "userunknown")]
    [InlineData("groupwise-user-not-found.eml", "quin@gw.example", "userunknown")]
    [InlineData("icewarp-mailbox-full.eml", "rita@iw.example", "mailboxfull")]
    [InlineData("axigen-mailbox-does-not-exist.eml", "sam@remote-ax.example", "userunknown")]
    [InlineData("smartermail-failed-permanently.eml", "tara@remote-sm.example", "userunknown")]
    public void Parse_OtherMtas_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason) =>
        AssertProbe("other-mtas", fixture, recipient, reason, null);

    /// <summary>Recipient fields as MTAs write them: angle brackets, a trailing comment, folded onto the next line, a local address type without a domain, upper case, X-Actual-Recipient beside Final-Recipient; and an address named only in the subject.</summary>
    [Theory]
    [InlineData("angle.eml")]
    [InlineData("comment.eml")]
    [InlineData("folded.eml")]
    [InlineData("local-no-domain.eml")]
    [InlineData("uppercase-type.eml")]
    [InlineData("subject-only.eml")]
    public void Parse_RecipientFieldVariants_FindTheAddressItself(string fixture) =>
        AssertProbe("dsn-fields", fixture, "jo@x.example", "userunknown", null);

    [Fact]
    public void Parse_WhenXActualRecipientIsGiven_TheFinalRecipientStaysTheRecipient() =>
        AssertProbe("dsn-fields", "xactual.eml", "alias@x.example", "userunknown", null);

    /// <summary>Mail that is no delivery failure: a read receipt (RFC 8098), a person's reply that talks about a failed delivery, a newsletter about bounces, a DSN that reports a relay.</summary>
    [Theory]
    [InlineData("mdn-read-receipt.eml", MessageKind.NotABounce)]
    [InlineData("human-reply-mentions-failure.eml", MessageKind.NotABounce)]
    [InlineData("newsletter-unsubscribe-words.eml", MessageKind.NotABounce)]
    public void Parse_MailThatIsNoFailure_ReportsNoRecipient(string fixture, MessageKind kind)
    {
        var parsed = Parse("not-bounces", fixture);

        Assert.Equal(kind, parsed.Kind);
        Assert.Empty(parsed.Recipients);
    }

    [Fact]
    public void Parse_WhenEveryRecipientWasRelayed_ReportsDeliveredNotAFailure() =>
        AssertProbe("not-bounces", "dsn-all-delivered.eml", "dan@d.example", "delivered", null, BounceKind.Delivered);

    [Fact]
    public void Parse_WhenTextIsLabelledLatin1ButWrittenInWindows1252_DecodesItsQuotes()
    {
        var result = OnlyRecipient("framing", "cp1252-labelled-latin1.eml");

        Assert.Contains("\u201cfritz@f.example\u201d \u2013 Benutzer unbekannt", result.Diagnostic, StringComparison.Ordinal);
    }
}
