using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>
/// A generality probe: bounces written here for the classes of mail the parser had never seen (docs/parser.md, "How a
/// reason is decided"), laid out as each MTA or receiver writes them, with wording, framing and languages varied as real
/// deployments vary them (TestData/Bounces/Probes/&lt;class&gt;). Each theory is one class; each row one deployment.
/// </summary>
public class UnseenBounceProbeTests
{
    private static readonly BounceParser Parser = new();

    private static RecipientResult OnlyRecipient(string cls, string fixture)
    {
        var parsed = Parser.Parse(Fixtures.Bytes(Path.Combine("Probes", cls, fixture)));
        Assert.Null(parsed.Error);
        return Assert.Single(parsed.Recipients);
    }


    /// <summary>A missing mailbox said without an RFC 3463 status or an SMTP stage, in the words and languages of different deployments, stays userunknown (a missing stage is no sign of DATA).</summary>
    [Theory]
    [InlineData("sendmail-outlook-mailbox-unavailable.eml", "amy@hotmail.com", "userunknown", "outlook.com")]
    [InlineData("sendmail-yahoo-dd.eml", "carl@yahoo.com", "userunknown", "yahoo")]
    [InlineData("exim-unknown-local-part.eml", "dora@example.org", "userunknown", null)]
    [InlineData("appliance-text-no-such-recipient.eml", "eli@corp.example", "userunknown", null)]
    [InlineData("sendmail-gmx-mailbox-unavailable.eml", "finn@gmx.de", "userunknown", "gmx")]
    [InlineData("messagelabs-text-invalid-recipient.eml", "gus@corp.example", "userunknown", "messagelabs")]
    [InlineData("exim-google-folded-no-stage.eml", "hana@gmail.com", "userunknown", "gmail")]
    [InlineData("postfix-local-unknown-user.eml", "ivan@example.com", "userunknown", null)]
    [InlineData("dsn-generic-status-user-unknown.eml", "jack@corp.example", "userunknown", null)]
    [InlineData("sendmail-spanish-user.eml", "kike@empresa.example", "userunknown", null)]
    [InlineData("sendmail-german-user.eml", "lars@firma.example", "userunknown", null)]
    [InlineData("qmail-italian-user.eml", "luca@azienda.example", "userunknown", null)]
    public void Parse_UserUnknownWithoutStatusOrStage_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("userunknown-nostage", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Exchange Online's 5.4.1: 'Recipient address rejected: Access denied' is directory-based edge blocking (userunknown), 'Relay Access Denied' a domain the tenant does not take (norelaying).</summary>
    [Theory]
    [InlineData("postfix-eop-541.eml", "mia@contoso.example", "userunknown", "microsoft365")]
    [InlineData("exim-eop-541.eml", "nils@fabrikam.example", "userunknown", "microsoft365")]
    [InlineData("sendmail-eop-541-generic-status.eml", "olga@tailspin.example", "userunknown", "microsoft365")]
    [InlineData("postfix-eop-541-relay.eml", "pete@northwind.example", "norelaying", "microsoft365")]
    [InlineData("qmail-eop-541.eml", "rosa@adatum.example", "userunknown", "microsoft365")]
    public void Parse_Microsoft541_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("access-denied", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>The retry period ran out, in each MTA's own words (Postfix, Exim, Sendmail, qmail, Exchange 2003/2010, Microsoft 365, Domino, MDaemon, PowerMTA, GroupWise); a final report over a network failure that is not a timeout stays networkerror.</summary>
    [Theory]
    [InlineData("postfix-queue-lifetime-refused.eml", "sara@slow.example", "expired", null)]
    [InlineData("exim-long-failure-period.eml", "tom@slow.example", "expired", null)]
    [InlineData("exim-retry-timeout-host.eml", "uli@slow.example", "expired", null)]
    [InlineData("sendmail-5-days.eml", "vera@slow.example", "expired", null)]
    [InlineData("qmail-queue-too-long.eml", "walt@slow.example", "expired", null)]
    [InlineData("exchange-2010-expired.eml", "xena@slow.example", "expired", null)]
    [InlineData("m365-expired.eml", "yuri@slow.example", "expired", null)]
    [InlineData("domino-delivery-time-expired.eml", "zack@slow.example", "expired", null)]
    [InlineData("mdaemon-no-more-attempts.eml", "bert@slow.example", "expired", null)]
    [InlineData("zimbra-postfix-expired.eml", "cleo@slow.example", "networkerror", null)]
    [InlineData("powermta-message-expired.eml", "dirk@slow.example", "expired", null)]
    [InlineData("groupwise-undeliverable-timeout.eml", "edda@slow.example", "expired", null)]
    [InlineData("exchange-2003-timeout.eml", "fritz@slow.example", "expired", null)]
    public void Parse_RetryPeriodRanOut_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("expired", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>The receiving system's own faults (systemerror), refused commands (syntaxerror, even at MAIL FROM when the status is X.5.x), a status with nothing readable (onhold), a store that cannot take the content (contenterror).</summary>
    [Theory]
    [InlineData("postfix-queue-file-write-error.eml", "gina@example.net", "systemerror", null)]
    [InlineData("exim-temporary-local-problem.eml", "hans@example.net", "systemerror", null)]
    [InlineData("sendmail-local-configuration-error.eml", "ines@example.net", "systemerror", null)]
    [InlineData("postfix-501-syntax.eml", "jens@example.net", "syntaxerror", null)]
    [InlineData("sendmail-500-unrecognized.eml", "kira@example.net", "syntaxerror", null)]
    [InlineData("exim-503-bad-sequence.eml", "lena@example.net", "syntaxerror", null)]
    [InlineData("dsn-status-only-onhold.eml", "mona@example.net", "onhold", null)]
    [InlineData("exchange-internal-error.eml", "nina@example.net", "contenterror", null)]
    public void Parse_SystemSyntaxOrOnHold_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("system-syntax-onhold", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Limits on connections or recipients per transaction (toomanyconn) are not limits on messages per time (speeding).</summary>
    [Theory]
    [InlineData("postfix-too-many-concurrent.eml", "otto@example.net", "toomanyconn", null)]
    [InlineData("exim-connection-limit.eml", "pia@example.net", "toomanyconn", null)]
    [InlineData("sendmail-too-many-sessions.eml", "quim@example.net", "toomanyconn", null)]
    [InlineData("postfix-452-too-many-recipients.eml", "rafa@example.net", "toomanyconn", null)]
    [InlineData("postfix-message-rate.eml", "sven@example.net", "speeding", null)]
    [InlineData("exim-ratelimit-per-hour.eml", "tilo@example.net", "speeding", null)]
    [InlineData("m365-4.7.500-rate.eml", "ugo@contoso.example", "speeding", "microsoft365")]
    [InlineData("sendmail-connection-rate.eml", "vito@example.net", "toomanyconn", null)]
    [InlineData("outlook-4.7.652-too-many-connections.eml", "wes@contoso.example", "toomanyconn", "microsoft365")]
    public void Parse_ConnectionsVersusRate_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("connections-vs-rate", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Receivers' own codes and texts: Cox, Orange/Wanadoo/La Poste, QQ, Mimecast, MessageLabs, Facebook, Google Workspace, NTT docomo.</summary>
    [Theory]
    [InlineData("cox-ipbl.eml", "abe@cox.net", "blocked", "cox")]
    [InlineData("cox-cxmxrt.eml", "bea@cox.net", "speeding", "cox")]
    [InlineData("orange-ofr-spf.eml", "cyril@orange.fr", "authfailure", "orange")]
    [InlineData("wanadoo-ofr-416.eml", "denis@wanadoo.fr", "userunknown", "orange")]
    [InlineData("laposte-lpn-reputation.eml", "elise@laposte.net", "blocked", "orange")]
    [InlineData("qq-frequency-limited.eml", "100200300@qq.com", "toomanyconn", "qq")]
    [InlineData("qq-mailbox-not-found.eml", "400500600@qq.com", "userunknown", "qq")]
    [InlineData("mimecast-spoofing.eml", "finn@corp.example", "policyviolation", "mimecast")]
    [InlineData("mimecast-invalid-recipient.eml", "gail@corp.example", "userunknown", "mimecast")]
    [InlineData("messagelabs-relay.eml", "hal@corp.example", "norelaying", "messagelabs")]
    [InlineData("facebook-pol-p2.eml", "ivy@facebook.com", "blocked", "facebook")]
    [InlineData("workspace-disabled.eml", "jon@corp-gws.example", "suspend", "google-workspace")]
    [InlineData("workspace-group-no-permission.eml", "team@corp-gws.example", "policyviolation", "google-workspace")]
    [InlineData("docomo-rcpt-unknown.eml", "kaori@docomo.ne.jp", "userunknown", "docomo")]
    [InlineData("docomo-after-data-reception.eml", "kenta@docomo.ne.jp", "rejected", "docomo")]
    public void Parse_ReceiverCodesAndTexts_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("receivers", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Variants of the MTA families' own layouts: fml, qmail and its variants, Lotus Notes and Domino, iMail, InterScan MSS, SurfControl, PowerMTA, V5 Sendmail, Biglobe, Courier.</summary>
    [Theory]
    [InlineData("fml-system-error.eml", "announce@lists.example.jp", "systemerror", null)]
    [InlineData("fml-reject-mail-from.eml", "members@ml.example.jp", "rejected", null)]
    [InlineData("qmail-no-host.eml", "lisa@nohost.example", "hostunknown", null)]
    [InlineData("qmail-looping.eml", "marc@example.org", "networkerror", null)]
    [InlineData("qmail-nifty-variant.eml", "nao@example.ne.jp", "userunknown", null)]
    [InlineData("qmail-smtp-connect-failed.eml", "omar@example.org", "blocked", null)]
    [InlineData("notes-returned-message.eml", "pablo@notes.example.co.jp", "userunknown", null)]
    [InlineData("notes-hop-count.eml", "quinn@notes.example.com", "networkerror", null)]
    [InlineData("domino-cannot-route.eml", "ruth@domino.example.de", "filtered", null)]
    [InlineData("domino-several-matches.eml", "sam@domino.example.fr", "systemerror", null)]
    [InlineData("imail-mailbox-size.eml", "tess@imail.example.com", "mailboxfull", null)]
    [InlineData("imail-rcpt-response.eml", "udo@remote.example", "norelaying", null)]
    [InlineData("interscan-japanese.eml", "vivi@example.co.jp", "userunknown", null)]
    [InlineData("surfcontrol-mailbox-full.eml", "walt@corp.example", "mailboxfull", null)]
    [InlineData("powermta-quota.eml", "xena@example.net", "mailboxfull", null)]
    [InlineData("v5sendmail-host-unknown.eml", "yves@nowhere.example", "hostunknown", null)]
    [InlineData("biglobe-user-unknown.eml", "zoe@biglobe.ne.jp", "filtered", null)]
    [InlineData("courier-no-such-domain.eml", "abby@nodomain.example", "hostunknown", null)]
    public void Parse_MtaFamilyVariants_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("families", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Delivery-status notifications that say delivered, relayed or expanded are not failures.</summary>
    [Theory]
    [InlineData("exchange-relay-dsn.eml", "amos@remote.example", "delivered", null)]
    [InlineData("sendmail-success-dsn.eml", "bert@remote.example", "delivered", null)]
    [InlineData("postfix-expanded.eml", "list@example.org", "delivered", null)]
    public void Parse_DeliveredNotices_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("delivered", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        Assert.Equal(BounceKind.Delivered, result.Kind);
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Only failed recipients are reported: never an address from prose, the sender's own VERP address, an address on a folded diagnostic line, the X.400 prefix; framing and subjects do not change the result.</summary>
    [Theory]
    [InlineData("prose-helpdesk-address.eml", "cara@example.org", "userunknown", null)]
    [InlineData("verp-return-path.eml", "dora@remote.example", "userunknown", null)]
    [InlineData("folded-diagnostic-second-address.eml", "emil@example.org", "hasmoved", null)]
    [InlineData("x400-dda-exchange2003.eml", "fabi@x400.example", "userunknown", null)]
    [InlineData("subject-version-not-status.eml", "gert@example.org", "userunknown", null)]
    [InlineData("leading-blank-lines.eml", "hedi@example.org", "mailboxfull", null)]
    [InlineData("original-vs-final-recipient.eml", "ida.final@forward.example", "userunknown", null)]
    [InlineData("sender-restated-in-body.eml", "jana@example.org", "userunknown", null)]
    public void Parse_RecipientPrecision_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("recipients", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Microsoft 365's own NDRs name microsoft365 as the provider.</summary>
    [Theory]
    [InlineData("m365-userunknown-5.1.10.eml", "olaf@fabrikam.example", "userunknown", "microsoft365")]
    [InlineData("m365-mailbox-full.eml", "pia@fabrikam.example", "mailboxfull", "microsoft365")]
    [InlineData("m365-restricted-group.eml", "allstaff@fabrikam.example", "rejected", "microsoft365")]
    public void Parse_Microsoft365Provider_FindsTheRecipientAndItsReason(string fixture, string recipient, string reason, string? provider)
    {
        var result = OnlyRecipient("m365-provider", fixture);

        Assert.Equal((recipient, reason), (result.Recipient, result.Reason));
        if (provider is not null)
        {
            Assert.Equal(provider, result.Provider);
        }
    }

    /// <summary>Challenge-response and whitelist-confirmation mail (Spam Arrest, TMDA, Mailinblack, Boxbe): no server refused anything.</summary>
    [Theory]
    [InlineData("spamarrest-verify.eml")]
    [InlineData("tmda-confirm.eml")]
    [InlineData("mailinblack-french.eml")]
    [InlineData("boxbe-waitlist.eml")]
    public void Parse_ChallengeResponse_IsNotABounce(string fixture)
    {
        var parsed = Parser.Parse(Fixtures.Bytes(Path.Combine("Probes", "challenge-response", fixture)));

        Assert.Equal(MessageKind.NotABounce, parsed.Kind);
        Assert.Empty(parsed.Recipients);
    }

    [Fact]
    public void Parse_WhenForwardedAddressFailed_ReportsTheFinalRecipientAndKeepsTheOriginal()
    {
        var result = OnlyRecipient("recipients", "original-vs-final-recipient.eml");

        Assert.Equal(("ida.final@forward.example", "ida@example.org"), (result.Recipient, result.OriginalRecipient));
    }

    [Fact]
    public void Parse_WhenADelayNoticeQuotesAConnectionLimit_ItIsADelayNotAFailure()
    {
        var result = OnlyRecipient("connections-vs-rate", "postfix-too-many-concurrent.eml");

        Assert.Equal((BounceKind.Delay, "toomanyconn"), (result.Kind, result.Reason));
    }

    [Fact]
    public void Parse_WhenExchange2003SaysTheRecipientCannotBeReached_ItIsAFailureNotADelay()
    {
        // "#4.4.7" under "The following recipient(s) cannot be reached": Exchange stopped trying.
        var result = OnlyRecipient("expired", "exchange-2003-timeout.eml");

        Assert.Equal((BounceKind.Bounce, "expired"), (result.Kind, result.Reason));
    }
}
