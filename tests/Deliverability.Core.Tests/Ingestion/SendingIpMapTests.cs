using System.Net;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Logs;

namespace Deliverability.Core.Tests.Ingestion;

public class SendingIpMapTests
{
    private static readonly IPAddress HostIp = IPAddress.Parse("203.0.113.5");
    private static readonly IPAddress WildcardIp = IPAddress.Parse("203.0.113.6");
    private static readonly IPAddress InstanceIp = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress DomainIp = IPAddress.Parse("203.0.113.8");
    private static readonly IPAddress SubdomainIp = IPAddress.Parse("203.0.113.9");
    private static readonly IPAddress ReportingIp = IPAddress.Parse("198.51.100.5");

    private static SendingIpMap Map() => new(
    [
        new SendingIpMapRule { Kind = SendingIpMapRuleKind.ReportingMta, Pattern = "*.example.com", Ip = WildcardIp },
        new SendingIpMapRule { Kind = SendingIpMapRuleKind.ReportingMta, Pattern = "relay.example.net", Ip = ReportingIp },
        new SendingIpMapRule { Kind = SendingIpMapRuleKind.LogHost, Pattern = "mx1", Ip = HostIp },
        new SendingIpMapRule { Kind = SendingIpMapRuleKind.LogHost, Pattern = "mx1", Instance = "postfix-out", Ip = InstanceIp },
        new SendingIpMapRule { Kind = SendingIpMapRuleKind.SenderDomain, Pattern = "example.org", Ip = DomainIp },
        new SendingIpMapRule { Kind = SendingIpMapRuleKind.SenderDomain, Pattern = "lists.example.org", Ip = SubdomainIp },
    ]);

    [Theory]
    [InlineData("mx1", null, null, "203.0.113.5")]
    [InlineData("MX1.", null, "someone@example.net", "203.0.113.5")]
    [InlineData("mx1", "postfix-out", null, "203.0.113.7")]
    [InlineData("mx1", "postfix-out", "news@lists.example.org", "203.0.113.7")]
    [InlineData("mx1", "postfix", "a@example.org", "203.0.113.8")]
    [InlineData("mx1", null, "a@news.example.org", "203.0.113.8")]
    [InlineData("mx1", null, "a@deep.lists.example.org", "203.0.113.9")]
    [InlineData("out.example.com", null, null, "203.0.113.6")]
    [InlineData("relay.example.net", null, null, "198.51.100.5")]
    public void Resolve_WhenRulesOverlap_PicksTheMostSpecific(string host, string? instance, string? sender, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Map().Resolve(host, instance, sender));
    }

    [Theory]
    [InlineData("example.com", null)]
    [InlineData("mx2", "postfix-out")]
    [InlineData(null, null)]
    public void Resolve_WhenNoRuleMatches_ReturnsNull(string? host, string? instance)
    {
        Assert.Null(Map().Resolve(host, instance, "a@example.net"));
    }

    [Fact]
    public void Resolve_WhenAttemptNamesItsLocalIp_TrustsTheLog()
    {
        var attempt = Attempt() with { LocalIp = IPAddress.Parse("192.0.2.1") };

        Assert.Equal(IPAddress.Parse("192.0.2.1"), Map().Resolve(attempt));
    }

    [Fact]
    public void Resolve_WhenAttemptProgramMatchesTheInstance_UsesTheInstanceRule()
    {
        Assert.Equal(InstanceIp, Map().Resolve(Attempt()));
    }

    [Fact]
    public void Resolve_WhenRuleNamesTheTransport_MatchesTheAttemptTransport()
    {
        var map = new SendingIpMap([new SendingIpMapRule { Kind = SendingIpMapRuleKind.LogHost, Pattern = "*.example.com", Instance = "remote_smtp_b", Ip = DomainIp }]);
        var attempt = Attempt() with { Host = "mx9.example.com", Transport = "remote_smtp_b", Program = "exim", Instance = "exim" };

        Assert.Equal(DomainIp, map.Resolve(attempt));
        Assert.Null(map.Resolve(attempt with { Transport = "remote_smtp" }));
    }

    [Fact]
    public void Resolve_WhenTwoRulesAreEquallySpecific_TakesTheFirst()
    {
        var map = new SendingIpMap(
        [
            new SendingIpMapRule { Kind = SendingIpMapRuleKind.ReportingMta, Pattern = "mx1.example.com", Ip = HostIp },
            new SendingIpMapRule { Kind = SendingIpMapRuleKind.ReportingMta, Pattern = "mx1.example.com", Ip = WildcardIp },
        ]);

        Assert.Equal(HostIp, map.Resolve("mx1.example.com", null, null));
    }

    [Theory]
    [InlineData(SendingIpMapRuleKind.ReportingMta, "mx*.example.com", null, "wildcard")]
    [InlineData(SendingIpMapRuleKind.ReportingMta, "", null, "host name")]
    [InlineData(SendingIpMapRuleKind.SenderDomain, "*.example.com", null, "without '*'")]
    [InlineData(SendingIpMapRuleKind.SenderDomain, "example.com", "postfix-out", "Only a log host rule")]
    [InlineData(SendingIpMapRuleKind.LogHost, "mx1 example", null, "not a host name")]
    public void TryValidate_WhenRuleIsUnusable_ExplainsWhy(SendingIpMapRuleKind kind, string pattern, string? instance, string expected)
    {
        var rule = new SendingIpMapRule { Kind = kind, Pattern = pattern, Instance = instance, Ip = HostIp };

        Assert.False(SendingIpMap.TryValidate(rule, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SendingIpMap([rule]));
    }

    private static DeliveryAttempt Attempt() => new()
    {
        LineNumber = 1,
        Time = new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero),
        Mta = MtaKind.Postfix,
        Host = "mx1",
        Program = "postfix-out/smtp",
        Instance = "postfix-out",
        Transport = "smtp",
        Recipient = "a@outlook.com",
        Sender = "a@example.net",
        Status = DeliveryStatus.Bounced,
        Reason = "blocked",
    };
}
