using System.Net;
using Deliverability.Core.Logs;

namespace Deliverability.Core.Tests.Logs;

public class EximLogReadingTests
{
    [Fact]
    public void Read_WhenHotmailBouncesWithS3140_ReadsTheLocalIpAndTheBlock()
    {
        var (entries, _) = LogFixture.Read("exim-main.log", hostName: "MX3.example.com");

        var attempt = entries.Delivery("a@hotmail.com");
        Assert.Equal(MtaKind.Exim, attempt.Mta);
        Assert.Equal(DeliveryStatus.Bounced, attempt.Status);
        Assert.Equal("mx3.example.com", attempt.Host);
        Assert.Equal("exim", attempt.Program);
        Assert.Equal("1abcDE-000123-AB", attempt.QueueId);
        Assert.Equal("remote_smtp", attempt.Transport);
        Assert.Equal("hotmail-com.olc.protection.outlook.com", attempt.RelayHost);
        Assert.Equal(IPAddress.Parse("52.101.8.44"), attempt.RelayIp);
        Assert.Equal(IPAddress.Parse("203.0.113.5"), attempt.LocalIp);
        Assert.Equal("alice@example.com", attempt.Sender);
        Assert.Equal("alice", attempt.SubmittedBy);
        Assert.Equal("20261127140001.1@example.com", attempt.MessageId);
        Assert.Equal(550, attempt.ReplyCode);
        Assert.Equal("5.7.1", attempt.Dsn);
        Assert.StartsWith("550 5.7.1 Unfortunately", attempt.Reply, StringComparison.Ordinal);
        Assert.Equal("RCPT", attempt.Command);
        Assert.Equal("outlook.com", attempt.Provider);
        Assert.Equal("S3140", attempt.ProviderCode);
        Assert.Equal("blocked", attempt.Reason);
        Assert.True(attempt.IsMicrosoftBlock);
    }

    [Fact]
    public void Read_WhenOutlookDefersWith4_7_650_ReadsADeferredMicrosoftBlock()
    {
        var (entries, _) = LogFixture.Read("exim-main.log");

        var attempt = entries.Delivery("b@outlook.com");
        Assert.Equal(DeliveryStatus.Deferred, attempt.Status);
        Assert.Equal("4.7.650", attempt.Dsn);
        Assert.Equal(451, attempt.ReplyCode);
        Assert.Equal("MAIL", attempt.Command);
        Assert.Equal("4.7.650", attempt.ProviderCode);
        Assert.True(attempt.IsMicrosoftBlock);
        Assert.Null(attempt.Host);
    }

    [Theory]
    [InlineData("c@example.org")]
    [InlineData("d@example.org")]
    public void Read_WhenDelivered_ReadsSentWithTheConfirmation(string recipient)
    {
        var (entries, _) = LogFixture.Read("exim-main.log");

        var attempt = entries.Delivery(recipient);
        Assert.Equal(DeliveryStatus.Sent, attempt.Status);
        Assert.Equal("250 2.0.0 Ok: queued as 9A8B7C", attempt.Reply);
        Assert.Equal(IPAddress.Parse("203.0.113.6"), attempt.LocalIp);
        Assert.Equal(IPAddress.Parse("198.51.100.40"), attempt.RelayIp);
        Assert.Equal("delivered", attempt.Reason);
        Assert.False(attempt.IsMicrosoftBlock);
    }

    [Fact]
    public void Read_WhenAddressIsUnrouteable_ReadsABounceFromTheLocalUsersMessage()
    {
        var (entries, _) = LogFixture.Read("exim-main.log");

        var attempt = entries.Delivery("h@example.net");
        Assert.Equal(DeliveryStatus.Bounced, attempt.Status);
        Assert.Equal("Unrouteable address", attempt.Reply);
        Assert.Equal("www@example.com", attempt.Sender);
        Assert.Equal("www-data", attempt.SubmittedBy);
        Assert.Null(attempt.RelayHost);
    }

    [Fact]
    public void Read_WhenArrivalIsAuthenticated_ReadsASuccessfulLogin()
    {
        var (entries, _) = LogFixture.Read("exim-main.log");

        var login = Assert.Single(entries.OfType<LoginAttempt>(), l => l.Succeeded);
        Assert.Equal("alice", login.User);
        Assert.Equal("plain", login.Method);
        Assert.Equal("client.example.net", login.ClientHost);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), login.ClientIp);
        Assert.Equal("1abcDE-000123-AB", login.QueueId);
    }

    [Fact]
    public void Read_WhenAuthenticatorFails_ReadsFailedLoginsWithTheSetId()
    {
        var (entries, _) = LogFixture.Read("exim-main.log");

        var failed = entries.OfType<LoginAttempt>().Where(l => !l.Succeeded).ToList();
        Assert.Equal(2, failed.Count);
        Assert.Equal("alice", failed[0].User);
        Assert.Equal("login", failed[0].Method);
        Assert.Equal(IPAddress.Parse("198.51.100.66"), failed[0].ClientIp);
        Assert.Null(failed[0].ClientHost);
        Assert.Equal("535 Incorrect authentication data", failed[0].Detail);
        Assert.Equal("root", failed[1].User);
        Assert.Equal("scanner.example.net", failed[1].ClientHost);
    }

    [Fact]
    public void Read_WhenEximLinesAreNotDeliveries_SkipsThemSilently()
    {
        var (entries, counters) = LogFixture.Read("exim-main.log");

        Assert.Equal(14, counters.LinesRead);
        Assert.Equal(9, counters.Entries);
        Assert.Equal(9, entries.Count);
        Assert.Equal(5, counters.Skipped);
        Assert.Equal(0, counters.Unreadable);
    }

    [Fact]
    public void Read_WhenDeliveryLineNamesTheSender_UsesItWithoutAnArrivalLine()
    {
        var (entries, _) = LogFixture.Read("exim-main.log");

        var attempt = entries.Delivery("i@example.org");
        Assert.Equal("carol@example.com", attempt.Sender);
        Assert.Equal("remote_smtp_b", attempt.Transport);
        Assert.Null(attempt.LocalIp);
    }

    [Fact]
    public void Read_WhenEximLogsThroughSyslog_UsesTheSyslogHostAndEximTime()
    {
        const string line = "Nov 27 14:00:09 mx4 exim[777]: 2026-11-27 14:00:02 +0100 1abcDE-000123-AB ** a@hotmail.com R=dnslookup T=remote_smtp H=hotmail-com.olc.protection.outlook.com [52.101.8.44] I=[203.0.113.5]:52044: SMTP error from remote mail server after RCPT TO:<a@hotmail.com>: 550 5.7.1 blocked (S3150)\n";

        var (entries, _) = LogFixture.ReadText(new StringReader(line));

        var attempt = entries.Delivery("a@hotmail.com");
        Assert.Equal("mx4", attempt.Host);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 0, 2, TimeSpan.FromHours(1)), attempt.Time);
        Assert.Equal("S3150", attempt.ProviderCode);
    }

    [Fact]
    public void Read_WhenRetryTimeoutIsExceeded_ReadsAnExpiredAttempt()
    {
        const string line = "2026-11-27 14:06:00 1qrsTU-000791-EF ** j@outlook.com R=dnslookup T=remote_smtp H=outlook-com.olc.protection.outlook.com [52.101.42.8] I=[203.0.113.5]: retry timeout exceeded\n";

        var (entries, _) = LogFixture.ReadText(new StringReader(line));

        var attempt = entries.Delivery("j@outlook.com");
        Assert.Equal(DeliveryStatus.Expired, attempt.Status);
        Assert.False(attempt.IsMicrosoftBlock);
    }
}
