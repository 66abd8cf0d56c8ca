using System.Net;
using System.Text;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

public class BounceParserTests
{
    [Theory]
    [InlineData("outlook-s3150.eml", "alice@hotmail.com", "blocked", "5.7.1", 550, "outlook.com", "S3150", "203.0.113.5")]
    [InlineData("outlook-rp001.eml", "bob@outlook.com", "speeding", "4.0.0", 421, "outlook.com", "RP-001", "198.51.100.7")]
    [InlineData("outlook-sc001.eml", "carol@live.com", "blocked", "5.0.0", 550, "outlook.com", "SC-001", "203.0.113.9")]
    [InlineData("outlook-dy001.eml", "dave@msn.com", "blocked", "5.0.0", 550, "outlook.com", "DY-001", "192.0.2.44")]
    [InlineData("outlook-ou002.eml", "erin@hotmail.co.uk", "blocked", "5.7.1", 550, "outlook.com", "OU-002", "203.0.113.77")]
    [InlineData("outlook-5.7.515.eml", "frank@outlook.com", "authfailure", "5.7.515", 550, "outlook.com", "5.7.515", null)]
    [InlineData("m365-5.7.606.eml", "grace@contoso.example.net", "blocked", "5.7.606", 550, "microsoft365", "5.7.606", "203.0.113.5")]
    [InlineData("gmail-5.7.26.eml", "heidi@gmail.com", "authfailure", "5.7.26", 550, "gmail", "5.7.26", null)]
    [InlineData("yahoo-tss04.eml", "pat@yahoo.com", "rejected", "4.7.0", 421, "yahoo", "TSS04", "192.0.2.25")]
    public void Parse_WhenProviderRejects_FindsReasonProviderCodeAndSendingIp(
        string fixture, string recipient, string reason, string status, int replyCode, string provider, string providerCode, string? ip)
    {
        var result = Fixtures.Single(fixture);

        Assert.Equal(recipient, result.Recipient);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(status, result.Status);
        Assert.Equal(replyCode, result.ReplyCode);
        Assert.Equal(provider, result.Provider);
        Assert.Equal(providerCode, result.ProviderCode);
        Assert.Equal(ip is null ? null : IPAddress.Parse(ip), result.SendingIp);
        if (ip is not null)
        {
            Assert.Equal("diagnostic", result.SendingIpSource);
        }
    }

    [Theory]
    [InlineData("postfix-userunknown.eml", "ivan@example.org", "userunknown", "5.1.1", 550, true)]
    [InlineData("global-dsn.eml", "judy@example.org", "mailboxfull", "5.2.2", 552, false)]
    [InlineData("exim-mailboxfull.eml", "kim@example.org", "mailboxfull", "5.2.2", 552, false)]
    [InlineData("sendmail-hostunknown.eml", "leo@nonexistent.example.org", "hostunknown", "5.1.2", 550, true)]
    public void Parse_WhenMtaReportsFailure_ClassifiesIt(string fixture, string recipient, string reason, string status, int replyCode, bool hard)
    {
        var result = Fixtures.Single(fixture);

        Assert.Equal(recipient, result.Recipient);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(status, result.Status);
        Assert.Equal(replyCode, result.ReplyCode);
        Assert.Equal(hard, result.HardBounce);
        Assert.Equal(BounceKind.Bounce, result.Kind);
        Assert.Equal("failed", result.Action);
    }

    [Fact]
    public void Parse_WhenDsnCarriesOriginalHeaders_ReadsSenderMessageIdAndDkim()
    {
        var result = Fixtures.Single("outlook-s3150.eml");

        Assert.Equal("news@example.com", result.Sender);
        Assert.Equal("example.com", result.SenderDomain);
        Assert.Equal("newsletter-2026-03.42@example.com", result.OriginalMessageId);
        Assert.Equal([new DkimSignatureRef("example.com", "mail2026")], result.Dkim);
        Assert.Equal("mx1.example.com", result.ReportingMta);
        Assert.Equal("hotmail-com.olc.protection.outlook.com", result.RemoteMta);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 14, 58, TimeSpan.Zero), result.ArrivalDate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("X-Odd Name: not a plain field name\n")]
    public void Parse_WhenReturnedOriginalIsTheLastPart_ReadsItsSenderMessageIdAndDkimWhetherItsHeadersArePlainOrNot(string oddLine)
    {
        var raw = "From: MAILER-DAEMON@mx.example.net\nTo: bounces@example.com\nSubject: Undelivered Mail Returned to Sender\n" +
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\n\n" +
            "--B1\nContent-Type: text/plain\n\nThe mail system could not deliver your message.\n\n" +
            "--B1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" +
            "Final-Recipient: rfc822; zoe@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n" +
            "--B1\nContent-Type: message/rfc822\n\n" +
            "Return-Path: <bounce-42@example.com>\nDKIM-Signature: v=1; a=rsa-sha256; d=Example.com;\n s=sel1; h=from; b=abc\n" +
            oddLine + "From: News <news@example.com>\nTo: zoe@example.org\nMessage-ID: <m42@example.com>\nSubject: Hi\n\n" +
            "Hello\n\n--B1--\n";

        var parsed = new BounceParser().Parse(Encoding.ASCII.GetBytes(raw).AsMemory());

        var result = Assert.Single(parsed.Recipients);
        Assert.Equal("zoe@example.org", result.Recipient);
        Assert.Equal("news@example.com", result.Sender);
        Assert.Equal("m42@example.com", result.OriginalMessageId);
        Assert.Equal([new DkimSignatureRef("example.com", "sel1")], result.Dkim);
    }

    [Fact]
    public void Parse_WhenDelayedDsn_ReportsDelayKind()
    {
        var result = Fixtures.Single("outlook-rp001.eml");

        Assert.Equal(BounceKind.Delay, result.Kind);
        Assert.Equal("delayed", result.Action);
        Assert.False(result.HardBounce);
    }

    [Fact]
    public void Parse_WhenQmailListsTwoRecipients_ReturnsBothInOrder()
    {
        var parsed = Fixtures.Parse("qmail-userunknown.eml");

        Assert.Equal(MessageKind.Bounce, parsed.Kind);
        Assert.Collection(
            parsed.Recipients,
            first =>
            {
                Assert.Equal("mia@example.org", first.Recipient);
                Assert.Equal("userunknown", first.Reason);
                Assert.Equal("5.1.1", first.Status);
            },
            second =>
            {
                Assert.Equal("noah@example.org", second.Recipient);
                Assert.Equal("mailboxfull", second.Reason);
                Assert.Equal(552, second.ReplyCode);
            });
        Assert.All(parsed.Recipients, r => Assert.Equal("hello-3@example.com", r.OriginalMessageId));
    }

    [Fact]
    public void Parse_WhenExchangeSaysRecipientNotRecognized_ReturnsUserUnknown()
    {
        var result = Fixtures.Single("exchange-userunknown.eml");

        Assert.Equal("olivia@example.net", result.Recipient);
        Assert.Equal("userunknown", result.Reason);
        Assert.Equal("hello-4@example.com", result.OriginalMessageId);
    }

    [Fact]
    public void Parse_WhenTextIsIso2022Jp_DecodesIt()
    {
        var result = Fixtures.Single("iso-2022-jp.eml");

        Assert.Equal("sato@example.jp", result.Recipient);
        Assert.Equal("userunknown", result.Reason);
        Assert.Contains("宛先不明", result.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenArfReport_ReturnsFeedbackWithSourceIp()
    {
        var parsed = Fixtures.Parse("arf-abuse.eml");

        Assert.Equal(MessageKind.Feedback, parsed.Kind);
        var result = Assert.Single(parsed.Recipients);
        Assert.Equal("quinn@example.net", result.Recipient);
        Assert.Equal("feedback", result.Reason);
        Assert.Equal(BounceKind.Feedback, result.Kind);
        Assert.Equal("abuse", result.FeedbackType);
        Assert.Equal(IPAddress.Parse("203.0.113.5"), result.SendingIp);
        Assert.Equal("feedback-report", result.SendingIpSource);
        Assert.Equal("newsletter-2026-03.43@example.com", result.OriginalMessageId);
        Assert.False(result.HardBounce);
    }

    [Fact]
    public void Parse_WhenJmrpReportHasHeadersOnly_ReturnsFeedbackFromOutlook()
    {
        var parsed = Fixtures.Parse("jmrp.eml");

        Assert.Equal(MessageKind.Feedback, parsed.Kind);
        var result = Assert.Single(parsed.Recipients);
        Assert.Equal("outlook.com", result.Provider);
        Assert.Equal("news@example.com", result.Sender);
        Assert.Equal([new DkimSignatureRef("example.com", "mail2026")], result.Dkim);
    }

    [Fact]
    public void Parse_WhenSesComplaintNotification_ReturnsFeedback()
    {
        var parsed = Fixtures.Parse("ses-complaint.eml");

        Assert.Equal(MessageKind.Feedback, parsed.Kind);
        var result = Assert.Single(parsed.Recipients);
        Assert.Equal("sam@example.net", result.Recipient);
        Assert.Equal("news@example.com", result.Sender);
        Assert.Equal("abuse", result.FeedbackType);
        Assert.Equal(new DateTimeOffset(2026, 3, 18, 8, 59, 0, TimeSpan.Zero), result.ArrivalDate);
    }

    [Theory]
    [InlineData("2026-03-18T08:59:00.000Z", 8)]
    [InlineData("2026-03-18T10:59:00+02:00", 8)]
    [InlineData("2026-03-18T08:59:00", 8)] // no offset: UTC, as SES means it, never the machine's time zone
    public void Parse_WhenSesTimestamp_ReadsItAsThatInstant(string timestamp, int utcHour)
    {
        var json = "{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\"sam@example.net\"}]," +
            "\"timestamp\":\"" + timestamp + "\",\"complaintFeedbackType\":\"abuse\"},\"mail\":{\"source\":\"news@example.com\"}}";
        var raw = "From: AWS Notifications <no-reply@sns.amazonaws.com>\nTo: ops@example.com\nSubject: AWS Notification Message\n" +
            "Content-Type: text/plain; charset=UTF-8\n\n" + json + "\n";

        var result = Assert.Single(new BounceParser().Parse(System.Text.Encoding.UTF8.GetBytes(raw)).Recipients);

        Assert.Equal(new DateTimeOffset(2026, 3, 18, utcHour, 59, 0, TimeSpan.Zero), result.ArrivalDate);
    }

    [Fact]
    public void Parse_WhenOriginalHeadersArePastedIntoCrlfText_ReadsThemUpToTheirBlankLineOnly()
    {
        var raw = string.Join("\r\n",
            "From: MAILER-DAEMON@mx.example.net",
            "To: news@example.com",
            "Subject: Undelivered Mail Returned to Sender",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "This is the mail system at host mx.example.net.",
            "<bob@example.org>: host mx.example.org[198.51.100.7] said: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown",
            "----- Original message -----",
            "Received: from mail.example.com (mail.example.com [203.0.113.5])",
            "From: News <news@example.com>",
            "Message-Id: <issue-42@example.com>",
            "Subject: March news",
            "",
            "From: a forwarded line in the body <reader@example.net>",
            "Message-Id: <not-this-one@example.net>",
            "");

        var result = Assert.Single(new BounceParser().Parse(Encoding.ASCII.GetBytes(raw)).Recipients);

        Assert.Equal("bob@example.org", result.Recipient);
        Assert.Equal("news@example.com", result.Sender);
        Assert.Equal("issue-42@example.com", result.OriginalMessageId);
    }

    [Fact]
    public void Parse_WhenAutoReply_ReturnsVacationNotBounce()
    {
        var parsed = Fixtures.Parse("autoreply.eml");

        Assert.Equal(MessageKind.AutoReply, parsed.Kind);
        var result = Assert.Single(parsed.Recipients);
        Assert.Equal("rita@example.org", result.Recipient);
        Assert.Equal("vacation", result.Reason);
        Assert.Equal(BounceKind.AutoReply, result.Kind);
    }

    [Fact]
    public void Parse_WhenOrdinaryMail_SaysNotABounce()
    {
        var parsed = Fixtures.Parse("not-a-bounce.eml");

        Assert.Equal(MessageKind.NotABounce, parsed.Kind);
        Assert.Empty(parsed.Recipients);
        Assert.StartsWith("not a bounce: ", parsed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData(" \r\n\t")]
    public void Parse_WhenEmptyOrBlank_SaysEmpty(string content)
    {
        var parsed = new BounceParser().Parse(Encoding.ASCII.GetBytes(content));

        Assert.Equal(MessageKind.Empty, parsed.Kind);
        Assert.StartsWith("empty file", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenStream_GivesSameResultAsBytes()
    {
        var bytes = Fixtures.Bytes("outlook-s3150.eml");
        using var stream = new MemoryStream(bytes);

        var fromStream = Assert.Single(new BounceParser().Parse(stream).Recipients);
        var fromBytes = Fixtures.Single("outlook-s3150.eml");

        Assert.Equal(fromBytes with { Dkim = [] }, fromStream with { Dkim = [] });
        Assert.Equal(fromBytes.Dkim, fromStream.Dkim);
    }

    [Fact]
    public void Parse_WhenBoundaryInHeaderMatchesNothing_StillReadsTheDeliveryStatus()
    {
        var text = Encoding.ASCII.GetString(Fixtures.Bytes("postfix-userunknown.eml"))
            .Replace("boundary=\"4F1A2B3C4D.1741597502/mx1.example.com\"", "boundary=\"another-boundary\"", StringComparison.Ordinal);

        var parsed = new BounceParser().Parse(Encoding.ASCII.GetBytes(text));

        var result = Assert.Single(parsed.Recipients);
        Assert.Equal("ivan@example.org", result.Recipient);
        Assert.Equal("userunknown", result.Reason);
    }

    [Fact]
    public void Parse_WhenMessageStartsWithMboxFromLine_IgnoresIt()
    {
        var bytes = Encoding.ASCII.GetBytes("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n").Concat(Fixtures.Bytes("exim-mailboxfull.eml")).ToArray();

        var result = Assert.Single(new BounceParser().Parse(bytes).Recipients);

        Assert.Equal("kim@example.org", result.Recipient);
    }

    [Fact]
    public void Parse_WhenReturnedMessageIsHuge_StillReadsItsHeadersQuickly()
    {
        var text = Encoding.ASCII.GetString(Fixtures.Bytes("sendmail-hostunknown.eml"));
        var body = string.Concat(Enumerable.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n", 300_000));
        var huge = text.Replace("Hello.\n\n--52BAbc123456", body + "\n--52BAbc123456", StringComparison.Ordinal);
        Assert.True(huge.Length > 10_000_000);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Assert.Single(new BounceParser().Parse(Encoding.ASCII.GetBytes(huge)).Recipients);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal("hostunknown", result.Reason);
        Assert.Equal("hello-2@example.com", result.OriginalMessageId);
    }

    [Fact]
    public void Parse_WhenSharedAcrossThreads_GivesTheSameResults()
    {
        var parser = new BounceParser();
        var inputs = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces"), "*.eml").Select(File.ReadAllBytes).ToArray();
        var expected = inputs.Select(i => Describe(parser.Parse(i))).ToArray();

        var actual = new string[inputs.Length * 8];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = Describe(parser.Parse(inputs[i % inputs.Length])));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % inputs.Length], actual[i]);
        }
    }

    private static string Describe(ParsedMessage parsed) =>
        parsed.Kind + "|" + parsed.Error + "|" + string.Join(";", parsed.Recipients.Select(r => $"{r.Recipient},{r.Reason},{r.Status},{r.ReplyCode},{r.ProviderCode},{r.SendingIp},{r.OriginalMessageId}"));
}
