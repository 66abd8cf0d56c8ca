using System.Text.Json;
using Deliverability.Core.Alerts;

namespace Deliverability.Core.Tests.Alerts;

public class AlertMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static AlertEvent Event(long ip, string address) => new()
    {
        Kind = AlertEventKind.IpBlocked, Key = $"k{ip}", SendingIpId = ip, Address = address, Title = $"Blocked by Outlook.com: {address}",
        Summary = $"Blocked by Outlook.com since 10 Mar 09:15 UTC (S3150) for {address}.", LinkPath = $"/ips/{ip}", OccurredAt = Now,
    };

    [Fact]
    public void For_OneEventWithoutABaseUrl_NamesThePathAndSaysNoBaseUrlIsSet()
    {
        var message = AlertMessage.For(AlertEventKind.IpBlocked, [Event(3, "203.0.113.5")], null, TimeSpan.FromMinutes(15));

        Assert.Equal("Blocked by Outlook.com: 203.0.113.5", message.Title);
        Assert.Null(message.Link);
        Assert.EndsWith("Open /ips/3 in Deliverability (no public base URL is set in Settings → Alerts, so this message cannot link to it).", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_SeveralEvents_IsOneSummaryListingEachWithItsLink()
    {
        var message = AlertMessage.For(AlertEventKind.IpBlocked, [Event(3, "203.0.113.5"), Event(4, "203.0.113.6")], "https://d.example/", TimeSpan.FromMinutes(15));

        Assert.Equal("2 IPs newly blocked by a provider", message.Title);
        Assert.Equal("https://d.example/alerts", message.Link);
        Assert.Contains("held back by the 15-minute stacking window", message.Text, StringComparison.Ordinal);
        Assert.Contains("(https://d.example/ips/3)", message.Text, StringComparison.Ordinal);
        Assert.Contains("(https://d.example/ips/4)", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_IsTheHexHmacSha256OfTheBody()
    {
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
            WebhookAlertSender.Sign("key", "The quick brown fox jumps over the lazy dog"));
    }

    [Fact]
    public void Slack_EscapesItsControlCharacters_AndTeamsIsAMessageCard()
    {
        var alert = new Alert { Id = 1, Kind = AlertEventKind.IpBlocked, Title = "Blocked <b>", Text = "a < b & c > d", LinkPath = "/ips/1", CreatedAt = Now };

        using var slack = JsonDocument.Parse(AlertPayloads.Slack(alert));
        Assert.Equal("Blocked &lt;b&gt;", slack.RootElement.GetProperty("text").GetString());
        Assert.Equal("a &lt; b &amp; c &gt; d", slack.RootElement.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal(2, slack.RootElement.GetProperty("blocks").GetArrayLength());

        using var teams = JsonDocument.Parse(AlertPayloads.Teams(alert));
        Assert.Equal("MessageCard", teams.RootElement.GetProperty("@type").GetString());
        Assert.False(teams.RootElement.TryGetProperty("potentialAction", out _));
    }
}
