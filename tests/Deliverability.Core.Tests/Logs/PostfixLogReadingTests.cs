using System.Net;
using Deliverability.Core.Logs;

namespace Deliverability.Core.Tests.Logs;

public class PostfixLogReadingTests
{
    [Fact]
    public void Read_WhenOutlookRefusesWithS3150_ReadsABouncedMicrosoftBlock()
    {
        var (entries, _) = LogFixture.Read("postfix-outlook.log");

        var attempt = entries.Delivery("a@outlook.com");
        Assert.Equal(DeliveryStatus.Bounced, attempt.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 2, 11, TimeSpan.Zero), attempt.Time);
        Assert.Equal("mx1", attempt.Host);
        Assert.Equal("postfix/smtp", attempt.Program);
        Assert.Equal("postfix", attempt.Instance);
        Assert.Equal("smtp", attempt.Transport);
        Assert.Equal("3F2A1C0D1E", attempt.QueueId);
        Assert.Equal("outlook-com.olc.protection.outlook.com", attempt.RelayHost);
        Assert.Equal(IPAddress.Parse("52.101.42.8"), attempt.RelayIp);
        Assert.Null(attempt.LocalIp);
        Assert.Equal("5.7.1", attempt.Dsn);
        Assert.Equal(550, attempt.ReplyCode);
        Assert.StartsWith("550 5.7.1 Unfortunately, messages from [203.0.113.5]", attempt.Reply, StringComparison.Ordinal);
        Assert.Equal("MAIL", attempt.Command);
        Assert.Equal("outlook.com", attempt.Provider);
        Assert.Equal("S3150", attempt.ProviderCode);
        Assert.Equal("blocked", attempt.Reason);
        Assert.True(attempt.IsMicrosoftBlock);
    }

    [Fact]
    public void Read_WhenQmgrAndCleanupLoggedFirst_CarriesSenderMessageIdAndLogin()
    {
        var (entries, _) = LogFixture.Read("postfix-outlook.log");

        var attempt = entries.Delivery("a@outlook.com");
        Assert.Equal("alice@example.com", attempt.Sender);
        Assert.Equal("example.com", attempt.SenderDomain);
        Assert.Equal("20261127140159.1@example.com", attempt.MessageId);
        Assert.Equal("alice", attempt.SubmittedBy);
    }

    [Fact]
    public void Read_WhenOutlookDefersWithRp001_ReadsADeferredMicrosoftThrottle()
    {
        var (entries, _) = LogFixture.Read("postfix-outlook.log");

        var attempt = entries.Delivery("b@hotmail.com");
        Assert.Equal(DeliveryStatus.Deferred, attempt.Status);
        Assert.Equal(421, attempt.ReplyCode);
        Assert.Equal("RP-001", attempt.ProviderCode);
        Assert.Equal("outlook.com", attempt.Provider);
        Assert.True(attempt.IsMicrosoftBlock);
    }

    [Fact]
    public void Read_WhenOutlookAccepts_ReadsSentAndNoBlock()
    {
        var (entries, _) = LogFixture.Read("postfix-outlook.log");

        var attempt = entries.Delivery("c@live.com");
        Assert.Equal(DeliveryStatus.Sent, attempt.Status);
        Assert.Equal("delivered", attempt.Reason);
        Assert.Equal("2.6.0", attempt.Dsn);
        Assert.Equal(250, attempt.ReplyCode);
        Assert.Equal("outlook.com", attempt.Provider);
        Assert.False(attempt.IsMicrosoftBlock);
    }

    [Fact]
    public void Read_WhenSaslLoginSucceeds_ReadsALoginAttempt()
    {
        var (entries, counters) = LogFixture.Read("postfix-outlook.log");

        var login = Assert.Single(entries.OfType<LoginAttempt>());
        Assert.True(login.Succeeded);
        Assert.Equal("alice", login.User);
        Assert.Equal("PLAIN", login.Method);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), login.ClientIp);
        Assert.Equal("client.example.net", login.ClientHost);
        Assert.Equal("postfix/smtpd", login.Program);
        Assert.Equal(8, counters.LinesRead);
        Assert.Equal(4, counters.Entries);
        Assert.Equal(4, counters.Skipped);
        Assert.Equal(0, counters.Unreadable);
    }

    [Fact]
    public void Read_WhenGmailRateLimitsWith421_4_7_28_ReadsTheGmailCodeAndTheInstance()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var attempt = entries.Delivery("d@gmail.com");
        Assert.Equal(DeliveryStatus.Deferred, attempt.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 15, 10, 4, TimeSpan.Zero).AddTicks(5230110), attempt.Time);
        Assert.Equal("postfix-out/smtp", attempt.Program);
        Assert.Equal("postfix-out", attempt.Instance);
        Assert.Equal("news@lists.example.org", attempt.Sender);
        Assert.Equal("gmail", attempt.Provider);
        Assert.Equal("4.7.28", attempt.ProviderCode);
        Assert.Equal(421, attempt.ReplyCode);
        Assert.Equal("DATA", attempt.Command);
        Assert.DoesNotContain("421-4.7.28 https", attempt.Reply, StringComparison.Ordinal);
        Assert.False(attempt.IsMicrosoftBlock);
    }

    [Fact]
    public void Read_WhenYahooDefersWithTss04_ReadsTheYahooCode()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var attempt = entries.Delivery("e@yahoo.com");
        Assert.Equal(DeliveryStatus.Deferred, attempt.Status);
        Assert.Equal("yahoo", attempt.Provider);
        Assert.Equal("TSS04", attempt.ProviderCode);
        Assert.Equal("mta7.am0.yahoodns.net", attempt.RelayHost);
    }

    [Fact]
    public void Read_WhenConnectionTimesOut_ReadsADeferralNamingTheServer()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var attempt = entries.OfType<DeliveryAttempt>().First(d => d.Recipient == "f@example.net");
        Assert.Equal(DeliveryStatus.Deferred, attempt.Status);
        Assert.Equal("mx.example.net", attempt.RelayHost);
        Assert.Equal(IPAddress.Parse("198.51.100.25"), attempt.RelayIp);
        Assert.Equal("networkerror", attempt.Reason);
        Assert.Null(attempt.ReplyCode);
    }

    [Fact]
    public void Read_WhenConnectionIsLost_ReadsADeferral()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var attempt = entries.Delivery("g@example.net");
        Assert.Equal(DeliveryStatus.Deferred, attempt.Status);
        Assert.Equal("4.4.2", attempt.Dsn);
        Assert.StartsWith("lost connection with", attempt.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenQmgrExpiresADeferredMessage_ReadsAnExpiredAttemptPerDeferredRecipient()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var expired = Assert.Single(entries.OfType<DeliveryAttempt>(), d => d.Status == DeliveryStatus.Expired);
        Assert.Equal("f@example.net", expired.Recipient);
        Assert.Equal("postfix-out/qmgr", expired.Program);
        Assert.Equal("news@lists.example.org", expired.Sender);
        Assert.Equal(11, expired.LineNumber);
        Assert.Contains("Connection timed out", expired.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenDeliveryIsSuspendedAfterARefusal_ReadsTheRefusingServerAndTheBlock()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var attempt = entries.Delivery("h@outlook.com");
        Assert.Equal(DeliveryStatus.Deferred, attempt.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 15, 20, 0, TimeSpan.Zero), attempt.Time.ToUniversalTime());
        Assert.Equal("postfix-out/error", attempt.Program);
        Assert.Equal("outlook-com.olc.protection.outlook.com", attempt.RelayHost);
        Assert.Equal(IPAddress.Parse("52.101.42.8"), attempt.RelayIp);
        Assert.Equal(421, attempt.ReplyCode);
        Assert.Equal("CONN", attempt.Command);
        Assert.Equal("S3150", attempt.ProviderCode);
        Assert.True(attempt.IsMicrosoftBlock);
    }

    [Fact]
    public void Read_WhenLmtpDeliversLocally_ReadsSentWithTheLmtpTransport()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var attempt = entries.Delivery("bob@example.com");
        Assert.Equal(DeliveryStatus.Sent, attempt.Status);
        Assert.Equal("lmtp", attempt.Transport);
        Assert.Equal("mail.example.com", attempt.RelayHost);
        Assert.Null(attempt.RelayIp);
    }

    [Fact]
    public void Read_WhenSaslAuthenticationFails_ReadsFailedLogins()
    {
        var (entries, _) = LogFixture.Read("postfix-providers.log");

        var logins = entries.OfType<LoginAttempt>().ToList();
        Assert.Equal(2, logins.Count);
        Assert.All(logins, l => Assert.False(l.Succeeded));
        Assert.Equal("LOGIN", logins[0].Method);
        Assert.Null(logins[0].User);
        Assert.Equal(IPAddress.Parse("198.51.100.99"), logins[0].ClientIp);
        Assert.Equal("postfix/submission/smtpd", logins[0].Program);
        Assert.Equal("PLAIN", logins[1].Method);
        Assert.Equal("mallory@example.com", logins[1].User);
        Assert.Equal("authentication failure", logins[1].Detail);
    }

    [Theory]
    [InlineData("x@example.com", "example-com.mail.protection.outlook.com[52.101.1.1]:25", "5.7.606", "550 5.7.606 Access denied, banned sending IP [203.0.113.5]. To request removal from this list please visit https://sender.office.com/", "microsoft365", true)]
    [InlineData("x@outlook.com", "outlook-com.olc.protection.outlook.com[52.101.42.8]:25", "5.5.0", "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [BN3PEPF0000B077.namprd04.prod.outlook.com]", "outlook.com", false)]
    [InlineData("x@hotmail.com", "hotmail-com.olc.protection.outlook.com[52.101.8.44]:25", "4.7.651", "451 4.7.651 The mail server [203.0.113.5] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S3114)", "outlook.com", true)]
    [InlineData("x@gmail.com", "gmail-smtp-in.l.google.com[192.0.2.26]:25", "5.7.1", "550-5.7.1 [203.0.113.5] Our system has detected that this message is likely unsolicited mail. 550 5.7.1 gsmtp", "gmail", false)]
    public void Read_WhenMicrosoftRefuses_FlagsOnlyRefusalsAimedAtTheIp(string recipient, string relay, string dsn, string reply, string provider, bool block)
    {
        var line = $"Nov 27 14:02:11 mx1 postfix/smtp[1234]: 3F2A1C0D1E: to=<{recipient}>, relay={relay}, delay=1, dsn={dsn}, status={(dsn[0] == '5' ? "bounced" : "deferred")} (host {relay[..relay.IndexOf(':')]} said: {reply} (in reply to RCPT TO command))\n";

        var (entries, _) = LogFixture.ReadText(new StringReader(line));

        var attempt = entries.Delivery(recipient);
        Assert.Equal(provider, attempt.Provider);
        Assert.Equal(block, attempt.IsMicrosoftBlock);
    }
}
