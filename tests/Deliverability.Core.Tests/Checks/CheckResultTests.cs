using System.Net;
using System.Text.Json.Nodes;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.Spf;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Tests.Checks;

public class CheckResultTests
{
    private static readonly string[] RefusedAnswer = ["127.255.255.254"];

    [Fact]
    public void Serialize_WhenResult_IsSnakeCaseWithLowerCaseStatus()
    {
        var result = CheckResult.Create("spf", "example.test", CheckStatus.Warn, "s", new { DnsLookups = 3, Result = SpfResult.SoftFail }, "https://x.test");
        var json = CheckJson.Serialize(result);
        Assert.Equal("""{"check":"spf","target":"example.test","status":"warn","summary":"s","details":{"dns_lookups":3,"result":"softfail"},"link":"https://x.test"}""", json);
    }

    [Fact]
    public void Deserialize_WhenSerialized_RoundTrips()
    {
        var result = CheckResult.Create("blocklist:zen.spamhaus.org", "192.0.2.1", CheckStatus.Unknown, "refused", new { Answers = RefusedAnswer });
        var back = CheckJson.Deserialize(CheckJson.Serialize(result))!;
        Assert.Equal(result.Key, back.Key);
        Assert.Equal(CheckStatus.Unknown, back.Status);
        Assert.Equal("127.255.255.254", back.Details["answers"]![0]!.GetValue<string>());
    }

    [Fact]
    public void EvidenceAs_AfterAStoredRoundTrip_ReadsTheEvidenceRecordTheCheckWrote()
    {
        var dkim = CheckResult.Create("dkim", "s1._domainkey.example.test", CheckStatus.Pass, "key",
            new Deliverability.Core.Checks.Dkim.DkimEvidence("example.test", "s1", "s1._domainkey.example.test", Deliverability.Core.Dns.DnsOutcome.NxDomain, [], null));
        var stored = CheckJson.Deserialize(CheckJson.Serialize(dkim))!;

        var evidence = stored.EvidenceAs<Deliverability.Core.Checks.Dkim.DkimEvidence>();

        Assert.Equal(("example.test", "s1", Deliverability.Core.Dns.DnsOutcome.NxDomain), (evidence?.Domain, evidence?.Selector, evidence?.Outcome));
        Assert.Null(new CheckResult("dkim", "x", CheckStatus.Pass, "", new JsonObject { ["domain"] = 42 }).EvidenceAs<Deliverability.Core.Checks.Dkim.DkimEvidence>());
    }

    [Fact]
    public void StatusChangedFrom_WhenSameKeyDifferentStatus_IsTrue()
    {
        var before = new CheckResult("ptr", "192.0.2.1", CheckStatus.Fail, "none", []);
        var after = before with { Status = CheckStatus.Pass, Summary = "PTR mail.example.test", Details = new JsonObject { ["names"] = "x" } };
        Assert.True(after.StatusChangedFrom(before));
        Assert.False(before.StatusChangedFrom(before with { Summary = "other words" }));
    }

    [Fact]
    public void StatusChangedFrom_WhenDifferentCheck_Throws() =>
        Assert.Throws<ArgumentException>(() => new CheckResult("ptr", "a", CheckStatus.Pass, "", []).StatusChangedFrom(new CheckResult("spf", "a", CheckStatus.Pass, "", [])));

    [Theory]
    [InlineData("example.test:s1", "example.test", "s1")]
    [InlineData("Example.Test.:sel-2026", "example.test", "sel-2026")]
    public void DkimSelectorParse_WhenDomainColonSelector_Splits(string text, string domain, string selector) =>
        Assert.Equal(new DkimSelector(domain, selector), DkimSelector.Parse(text));

    [Theory]
    [InlineData("example.test")]
    [InlineData(":s1")]
    [InlineData("example.test:")]
    public void DkimSelectorParse_WhenMalformed_Throws(string text) => Assert.Throws<FormatException>(() => DkimSelector.Parse(text));
}

public class OutlookHighVolumeRuleTests
{
    private static CheckResult Spf(CheckStatus s) => new("spf", "example.test", s, "", []);

    private static CheckResult Dkim(string domain, CheckStatus s) => new("dkim", $"s1._domainkey.{domain}", s, "", new JsonObject { ["domain"] = domain });

    private static CheckResult Dmarc(CheckStatus s, string adkim = "r") =>
        new("dmarc", "example.test", s, "", new JsonObject { ["record"] = new JsonObject { ["tags"] = new JsonObject { ["adkim"] = adkim } } });

    [Fact]
    public void Evaluate_WhenAllInPlace_Passes() =>
        Assert.Equal(CheckStatus.Pass, OutlookHighVolumeRule.Evaluate("example.test", Spf(CheckStatus.Pass), [Dkim("example.test", CheckStatus.Pass)], Dmarc(CheckStatus.Warn)).Status);

    [Fact]
    public void Evaluate_WhenDkimOnParentDomainAndRelaxed_Passes() =>
        Assert.Equal(CheckStatus.Pass, OutlookHighVolumeRule.Evaluate("news.example.test", Spf(CheckStatus.Pass), [Dkim("example.test", CheckStatus.Pass)], Dmarc(CheckStatus.Pass)).Status);

    [Fact]
    public void Evaluate_WhenDkimOnParentDomainAndStrict_Warns() =>
        Assert.Equal(CheckStatus.Warn, OutlookHighVolumeRule.Evaluate("news.example.test", Spf(CheckStatus.Pass), [Dkim("example.test", CheckStatus.Pass)], Dmarc(CheckStatus.Pass, "s")).Status);

    [Theory]
    [InlineData(CheckStatus.Fail, CheckStatus.Pass, CheckStatus.Pass)]
    [InlineData(CheckStatus.Pass, CheckStatus.Fail, CheckStatus.Pass)]
    [InlineData(CheckStatus.Pass, CheckStatus.Pass, CheckStatus.Fail)]
    public void Evaluate_WhenSomethingMissing_WarnsWith5_7_515(CheckStatus spf, CheckStatus dkim, CheckStatus dmarc)
    {
        var result = OutlookHighVolumeRule.Evaluate("example.test", Spf(spf), [Dkim("example.test", dkim)], Dmarc(dmarc));
        Assert.Equal(CheckStatus.Warn, result.Status);
        Assert.Contains("550 5.7.515", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WhenOnlyUnknowns_IsUnknown() =>
        Assert.Equal(CheckStatus.Unknown, OutlookHighVolumeRule.Evaluate("example.test", Spf(CheckStatus.Unknown), [Dkim("example.test", CheckStatus.Pass)], Dmarc(CheckStatus.Unknown)).Status);
}

public class SenderScoreAndRunnerTests
{
    private static IOptions<ChecksOptions> Options() => Microsoft.Extensions.Options.Options.Create(new ChecksOptions());

    [Theory]
    [InlineData("127.0.4.95", CheckStatus.Pass)]
    [InlineData("127.0.4.86", CheckStatus.Pass)]
    [InlineData("127.0.4.85", CheckStatus.Warn)]
    [InlineData("127.0.4.70", CheckStatus.Warn)]
    [InlineData("127.0.4.69", CheckStatus.Fail)]
    [InlineData("127.0.0.2", CheckStatus.Unknown)]
    public async Task SenderScore_WhenAnswer_Grades(string answer, CheckStatus expected)
    {
        var dns = new FakeDnsResolver().A("1.2.0.192.score.senderscore.com", answer);
        var result = await new SenderScoreCheck(dns, Options()).RunAsync(IPAddress.Parse("192.0.2.1"), TestContext.Current.CancellationToken);
        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public async Task SenderScore_WhenNxDomain_IsUnknownNotEnoughVolume()
    {
        var result = await new SenderScoreCheck(new FakeDnsResolver(), Options()).RunAsync(IPAddress.Parse("192.0.2.1"), TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Contains("not enough", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_WhenDomainsAndDkim_ReturnsEveryCheckInStableOrder()
    {
        var dns = new FakeDnsResolver()
            .A("a.root-servers.net", "198.41.0.4")
            .Ptr("1.2.0.192.in-addr.arpa", "mail.example.test").A("mail.example.test", "192.0.2.1")
            .Txt("example.test", "v=spf1 ip4:192.0.2.1 -all").Mx("example.test", "mail.example.test")
            .Txt("_dmarc.example.test", "v=DMARC1; p=reject; rua=mailto:d@example.test")
            .Txt("s1._domainkey.example.test", "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(new byte[32]));
        var options = Options();
        using var runner = new IpCheckRunner(new Core.Checks.ReverseDns.ReverseDnsCheck(dns), new SpfCheck(new SpfEvaluator(dns, TimeProvider.System)),
            new Core.Checks.Dkim.DkimCheck(dns), new DmarcCheck(dns), new MxCheck(dns), new Core.Checks.Blocklists.BlocklistCheck(dns, options),
            new SenderScoreCheck(dns, options), new DnsTrustProbe(dns, options, TimeProvider.System), options);
        var results = await runner.RunAsync(new IpCheckRequest(IPAddress.Parse("192.0.2.1"), ["example.test"], [new DkimSelector("example.test", "s1")], "mail.example.test"),
            TestContext.Current.CancellationToken);
        var names = results.Select(r => r.Check).ToList();
        Assert.Equal(["ptr", "fcrdns", "helo", "spf", "dkim", "dmarc", "outlook-high-volume", "mx"], names.Take(8));
        Assert.Equal(12, names.Count(n => n.StartsWith("blocklist:", StringComparison.Ordinal)));
        Assert.Equal("senderscore", names[^1]);
        Assert.All(results.Take(8), r => Assert.Equal(CheckStatus.Pass, r.Status));
    }

    [Fact]
    public async Task Runner_WhenACheckThrows_ReportsUnknownAndFinishes()
    {
        var dns = new ThrowingResolver();
        var options = Options();
        using var runner = new IpCheckRunner(new Core.Checks.ReverseDns.ReverseDnsCheck(dns), new SpfCheck(new SpfEvaluator(dns, TimeProvider.System)),
            new Core.Checks.Dkim.DkimCheck(dns), new DmarcCheck(dns), new MxCheck(dns), new Core.Checks.Blocklists.BlocklistCheck(dns, options),
            new SenderScoreCheck(dns, options), new DnsTrustProbe(dns, options, TimeProvider.System), options);
        var results = await runner.RunAsync(new IpCheckRequest(IPAddress.Parse("192.0.2.1"), ["example.test"], []), TestContext.Current.CancellationToken);
        Assert.NotEmpty(results);
        Assert.All(results.Where(r => r.Check != OutlookHighVolumeRule.Name), r => Assert.Equal(CheckStatus.Unknown, r.Status));
        Assert.Contains("boom", results[0].Summary, StringComparison.Ordinal);
    }

    private sealed class ThrowingResolver : Core.Dns.IDnsResolver
    {
        public Task<Core.Dns.DnsAnswer> QueryAsync(Core.Dns.DnsQuestion question, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }
}
