using System.Text;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>Only failed recipients are reported: no contact address from prose, no sender, no phantom from a folded line.</summary>
public class RecipientPrecisionTests
{
    private static readonly BounceParser Parser = new();

    [Fact]
    public void Parse_WhenProseAsksToContactSomeone_ThatAddressIsNotARecipient()
    {
        var result = Assert.Single(Fixtures.Parse("prose-contact-address.eml").Recipients);

        Assert.Equal("ines@example.net", result.Recipient);
        Assert.Equal("userunknown", result.Reason);
    }

    [Fact]
    public void Parse_WhenTheDiagnosticIsFoldedOverLinesNamingAnotherAddress_NoPhantomRecipient()
    {
        var result = Assert.Single(Fixtures.Parse("folded-diagnostic.eml").Recipients);

        Assert.Equal("ivy@example.org", result.Recipient);
        Assert.Contains("ivy.archive@example.net", result.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenTheReturnAddressIsVerp_ItIsNeverTheRecipient()
    {
        var parsed = Fixtures.Parse(Path.Combine("Families", "exim-x1-quoted-verp.eml"));

        Assert.Equal(["hugo@example.org"], parsed.Recipients.Select(r => r.Recipient));
    }

    [Theory]
    [InlineData("bounce-42-hugo=example.org@lists.example.com")]
    [InlineData("prvs=1a2b3c4d5e=news@example.com")]
    [InlineData("SRS0=HhH1=XY=example.com=news@forwarder.example.net")]
    public void Parse_WhenOnlyAReturnPathStyleAddressAppears_ItIsNotReported(string returnAddress)
    {
        var text = $"From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\nTo: news@example.com\n\n" +
                   $"Delivery failed for <{returnAddress}>: 550 5.1.1 user unknown\n";

        var parsed = Parser.Parse(Encoding.ASCII.GetBytes(text));

        Assert.DoesNotContain(parsed.Recipients, r => r.Recipient.Equals(returnAddress, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Parse_WhenX400GatewayWritesDdaSmtp_ReportsThePlainAddress()
    {
        var result = Assert.Single(Fixtures.Parse("x400-dda-smtp.eml").Recipients);

        Assert.Equal("jack@example.org", result.Recipient);
        Assert.Equal("5.1.1", result.Status);
    }

    [Fact]
    public void Parse_WhenTheSubjectCarriesAVersionNumber_ItIsNotAStatus()
    {
        var result = Assert.Single(Fixtures.Parse("subject-version-number.eml").Recipients);

        Assert.Equal("kai@example.net", result.Recipient);
        Assert.NotEqual("4.2.1", result.Status);
        Assert.Equal("failed", result.Action);
        Assert.Equal(550, result.ReplyCode);
    }

    [Fact]
    public void Parse_WhenDsnGivesOriginalAndFinalRecipient_KeepsBoth()
    {
        var text = Encoding.ASCII.GetString(Fixtures.Bytes("postfix-userunknown.eml"))
            .Replace("Original-Recipient: rfc822;ivan@example.org", "Original-Recipient: rfc822;sales@example.org", StringComparison.Ordinal);

        var result = Assert.Single(Parser.Parse(Encoding.ASCII.GetBytes(text)).Recipients);

        Assert.Equal("ivan@example.org", result.Recipient);
        Assert.Equal("sales@example.org", result.OriginalRecipient);
    }

    [Theory]
    // dma writes "X-Original-To: <failed address>" below its own Received header; the original had no To (Bcc only).
    [InlineData("dragonfly-bcc-only.eml", "carla@example.net", "5.1.1")]
    // postmaster@ is a real mailbox; listed as "<postmaster@...>:" it is the failed recipient.
    [InlineData("postmaster-recipient.eml", "postmaster@broken.example.net", "5.1.1")]
    // A plain-text X.400 report: "dda:SMTP=jack@example.org" is jack@example.org.
    [InlineData("x400-text-only.eml", "jack@example.org", "5.1.1")]
    public void Parse_WhenTheRecipientLooksLikeAHeaderOrRoleAddress_ItIsStillReported(string fixture, string recipient, string status)
    {
        var result = Assert.Single(Fixtures.Parse(fixture).Recipients);

        Assert.Equal(recipient, result.Recipient);
        Assert.Equal(status, result.Status);
    }

    [Fact]
    public void Parse_WhenDeliveryHeadersAboveTheFirstReceivedNameTheSendersMailbox_ItIsNotARecipient()
    {
        var text = "Delivered-To: news-archive@example.com\nX-Original-To: news-archive@example.com\n" +
                   "Received: from mx.example.org by mail.example.com; Wed, 25 Mar 2026 08:00:01 +0000\n" +
                   Encoding.ASCII.GetString(Fixtures.Bytes("postmaster-contact.eml")).Replace(
                       "If you believe", "The bounce was for news-archive@example.com.\nIf you believe", StringComparison.Ordinal);

        var parsed = Parser.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(["lena@example.net"], parsed.Recipients.Select(r => r.Recipient));
    }

    [Fact]
    public void Parse_WhenPostmasterOrAbuseIsOnlyAContactOrSignature_ItIsNotARecipient()
    {
        var parsed = Fixtures.Parse("postmaster-contact.eml");

        Assert.Equal(["lena@example.net"], parsed.Recipients.Select(r => r.Recipient));
    }
}
