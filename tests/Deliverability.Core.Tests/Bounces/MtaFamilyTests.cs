using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>
/// One self-written bounce per MTA family, laid out the way that MTA writes them (TestData/Bounces/Families):
/// the failed recipient, the MTA's explanation and the reason must come out of each.
/// </summary>
public class MtaFamilyTests
{
    private static readonly BounceParser Parser = new();

    [Theory]
    [InlineData("fml-notmember.eml", "announce@lists.example.jp", "rejected", "NOT MEMBER article")]
    [InlineData("qmail-ldap-nomailbox.eml", "omar@example.net", "userunknown")]
    [InlineData("qmail-vpopmail-overquota.eml", "pia@example.org", "mailboxfull")]
    // qmail-remote's "does not like recipient." and "Giving up on <host>." frame the remote reply: the reply's words decide,
    // the framing only when the reply says nothing readable.
    [InlineData("qmail-remote-refusal.eml", "jonas@partner.example", "securityerror", "Client not authenticated")]
    [InlineData("qmail-remote-bare.eml", "karl@partner.example", "userunknown")]
    [InlineData("notes-userunknown.eml", "quentin@notes.example.co.jp", "userunknown")]
    [InlineData("domino-userunknown.eml", "rosa@domino.example.de", "userunknown")]
    [InlineData("imail-userunknown.eml", "sven@imail.example.com", "userunknown", "Unknown user")]
    [InlineData("interscan-userunknown.eml", "tara@example.co.jp", "userunknown")]
    [InlineData("surfcontrol-userunknown.eml", "uma@example.org", "userunknown", "No such user")]
    [InlineData("powermta-badmailbox.eml", "victor@example.net", "userunknown")]
    [InlineData("v5sendmail-userunknown.eml", "wendy@example.jp", "userunknown")]
    [InlineData("biglobe-mailboxfull.eml", "xavier@biglobe.ne.jp", "mailboxfull", "mailbox exceeded the local limit")]
    [InlineData("courier-userunknown.eml", "yara@example.org", "userunknown")]
    [InlineData("opensmtpd-hostunknown.eml", "zack@nonexistent.example", "hostunknown")]
    [InlineData("exchange2007-userunknown.eml", "alma@exch.example.de", "userunknown")]
    [InlineData("messagingserver-mailboxfull.eml", "bruno@ms.example.jp", "mailboxfull")]
    [InlineData("dragonfly-userunknown.eml", "carla@example.net", "userunknown")]
    [InlineData("amazonses-dsn-suppressed.eml", "dina@example.org", "userunknown")]
    [InlineData("gmail-text-userunknown.eml", "elena@example.com", "userunknown")]
    [InlineData("googlegroups-rejected.eml", "team-announce@googlegroups.com", "rejected")]
    [InlineData("sendgrid-userunknown.eml", "fred@example.org", "userunknown")]
    [InlineData("zoho-mailboxfull.eml", "gita@example.in", "mailboxfull")]
    [InlineData("exim-x1-quoted-verp.eml", "hugo@example.org", "userunknown")]
    // Sendmail local delivery: mail.local says "unknown user" in the transcript, the reply line only "Service unavailable".
    [InlineData("sendmail-maillocal-unknown.eml", "mika@example.jp", "userunknown", "mail.local: unknown user")]
    // The retry period ran out, in each MTA's own words (Postfix maximal_queue_lifetime, Exim retry rules, Sendmail
    // Timeout.queuereturn, qmail queuelifetime, Exchange QUEUE.Expired, OpenSMTPD "Envelope expired", IMail's attempt count).
    [InlineData("postfix-expired.eml", "tina@slow.example.net", "expired")]
    [InlineData("exim-expired.eml", "nora@slow.example.net", "expired", "retry timeout exceeded")]
    [InlineData("sendmail-expired.eml", "paula@slow.example.net", "expired")]
    [InlineData("qmail-expired.eml", "otto@slow.example.net", "expired", "queue too long")]
    [InlineData("exchange-expired.eml", "quinn@slow.example.net", "expired", "QUEUE.Expired")]
    [InlineData("opensmtpd-expired.eml", "rita@slow.example.net", "expired")]
    [InlineData("imail-expired.eml", "sam@slow.example.net", "expired")]
    public void Parse_WhenFamilyWritesItsUsualBounce_FindsTheOneRecipientAndItsReason(string fixture, string recipient, string reason, string? explanation = null)
    {
        var parsed = Parser.Parse(Fixtures.Bytes(Path.Combine("Families", fixture)));

        Assert.Equal(MessageKind.Bounce, parsed.Kind);
        var result = Assert.Single(parsed.Recipients);
        Assert.Equal(recipient, result.Recipient);
        Assert.Equal(reason, result.Reason);

        if (explanation is not null)
        {
            Assert.Contains(explanation, result.Diagnostic, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Parse_WhenAFinalReportQuotesTheLastTemporaryAnswer_ItIsAFailureNotADelay()
    {
        // Exchange says "Delivery has failed" above "#550 4.4.7 QUEUE.Expired": the MTA stopped trying.
        var result = Assert.Single(Parser.Parse(Fixtures.Bytes(Path.Combine("Families", "exchange-expired.eml"))).Recipients);

        Assert.Equal(("failed", BounceKind.Bounce), (result.Action, result.Kind));
    }
}
