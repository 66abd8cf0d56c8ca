using System.Text;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>Sloppy framing that MIME parsers refuse must still be read: the bounce inside is what the user needs.</summary>
public class FramingTests
{
    private static readonly BounceParser Parser = new();

    [Theory]
    [InlineData("\n")]
    [InlineData("\n\n\n")]
    [InlineData("\r\n")]
    [InlineData("  \r\n\t\n")]
    public void Parse_WhenBlankLinesComeBeforeTheHeaders_ReadsTheBounce(string leading)
    {
        var bytes = Encoding.ASCII.GetBytes(leading).Concat(Fixtures.Bytes("postfix-userunknown.eml")).ToArray();

        var result = Assert.Single(Parser.Parse(bytes).Recipients);

        Assert.Equal("ivan@example.org", result.Recipient);
        Assert.Equal("userunknown", result.Reason);
    }

    [Fact]
    public void Parse_WhenTheBodyWasSavedWithoutHeaders_ReadsTheTextBounce()
    {
        var text = Encoding.ASCII.GetString(Fixtures.Bytes("qmail-userunknown.eml"));
        var body = text[(text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];

        var parsed = Parser.Parse(Encoding.ASCII.GetBytes(body));

        Assert.Equal(MessageKind.Bounce, parsed.Kind);
        Assert.Equal(["mia@example.org", "noah@example.org"], parsed.Recipients.Select(r => r.Recipient));
        Assert.Equal("userunknown", parsed.Recipients[0].Reason);
    }

    [Fact]
    public void Parse_WhenHeadersAreBrokenBeyondMimeParsing_ReadsTheRestAsText()
    {
        var body = "Delivery failed: the message could not be delivered.\n\n<zoe@example.org>: 550 5.1.1 user unknown\n";

        var parsed = Parser.Parse(Encoding.ASCII.GetBytes(body));

        var result = Assert.Single(parsed.Recipients);
        Assert.Equal("zoe@example.org", result.Recipient);
        Assert.Equal("5.1.1", result.Status);
    }

    [Fact]
    public void Parse_WhenLinesEndInLoneCarriageReturns_ReadsTheBounce()
    {
        var text = Encoding.ASCII.GetString(Fixtures.Bytes("exim-mailboxfull.eml")).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\n', '\r');

        var result = Assert.Single(Parser.Parse(Encoding.ASCII.GetBytes(text)).Recipients);

        Assert.Equal("kim@example.org", result.Recipient);
        Assert.Equal("mailboxfull", result.Reason);
    }

    [Theory]
    [InlineData("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n")]
    [InlineData("From MAILER-DAEMON Tue Mar 10 09:15:02 2026")]
    [InlineData("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\r\n\r\n")]
    public void Parse_WhenNothingFollowsTheMboxFromLine_SaysSo(string content)
    {
        var parsed = Parser.Parse(Encoding.ASCII.GetBytes(content));

        Assert.Equal(MessageKind.Empty, parsed.Kind);
        Assert.Equal("empty message: nothing after its mbox \"From \" line", parsed.Error);
    }

    [Fact]
    public void MboxRead_WhenLinesEndInLoneCarriageReturns_SplitsAndParsesEveryMessage()
    {
        var one = Encoding.ASCII.GetString(Fixtures.Bytes("exim-mailboxfull.eml")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var two = Encoding.ASCII.GetString(Fixtures.Bytes("qmail-userunknown.eml")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var mbox = ("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n" + one + "\nFrom MAILER-DAEMON Fri Mar 13 12:00:00 2026\n" + two).Replace('\n', '\r');
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(mbox));

        var messages = MboxReader.Read(stream).ToList();

        Assert.Equal(2, messages.Count);
        Assert.Equal("kim@example.org", Assert.Single(Parser.Parse(messages[0].Raw).Recipients).Recipient);
        Assert.Equal(2, Parser.Parse(messages[1].Raw).Recipients.Count);
    }

    [Fact]
    public void MboxRead_WhenNothingFollowsTheFromLine_YieldsOneMessageThatIsReportedEmpty()
    {
        using var stream = new MemoryStream("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n"u8.ToArray());

        var message = Assert.Single(MboxReader.Read(stream));
        var parsed = Parser.Parse(message.Raw);

        Assert.Equal(MessageKind.Empty, parsed.Kind);
        Assert.StartsWith("empty message", parsed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n\n")]
    [InlineData("\r\n \r\n")]
    [InlineData("\uFEFF")]
    public void MboxRead_WhenBlankLinesOrAByteOrderMarkComeFirst_IsAnMboxOfEveryMessage(string prefix)
    {
        var one = Encoding.ASCII.GetString(Fixtures.Bytes("exim-mailboxfull.eml")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var two = Encoding.ASCII.GetString(Fixtures.Bytes("qmail-userunknown.eml")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(prefix + "From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n" + one + "\nFrom MAILER-DAEMON Fri Mar 13 12:00:00 2026\n" + two);

        Assert.Equal(Deliverability.Core.Ingestion.IngestFileKind.Mbox, Deliverability.Core.Ingestion.FileKindDetector.Detect(bytes, "bounces.mbox"));
        var messages = MboxReader.Read(new MemoryStream(bytes)).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("kim@example.org", Assert.Single(Parser.Parse(messages[0].Raw).Recipients).Recipient);
    }

    [Theory]
    [InlineData("  From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n")]
    [InlineData("Subject: x\nFrom MAILER-DAEMON Tue Mar 10 09:15:02 2026\n")]
    public void LooksLikeMbox_WhenFromIsNotAtTheStartOfALine_IsNoMbox(string start) =>
        Assert.False(MboxReader.LooksLikeMbox(Encoding.ASCII.GetBytes(start)));
}
