using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Dns;
using Deliverability.Core.Remediation;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Tests.Checks;

/// <summary>The resolver probe and the lists' RFC 5782 test points, with the fake resolver (the real NSD cases are in Deliverability.DnsTests).</summary>
public class DnsTrustTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IReadOnlyList<BlocklistZone> Lists = BlocklistCatalogue.All.Where(z => z.EnabledByDefault).ToList();

    /// <summary>A resolver that answers like a working one: the probe names, every list's test points, and nothing listed.</summary>
    private static FakeDnsResolver Healthy()
    {
        var dns = new FakeDnsResolver().A("a.root-servers.net", "198.41.0.4");
        foreach (var zone in Lists)
        {
            if (zone.EffectiveTestPoints.MustBeListed is { } listed) dns.A($"{listed}.{zone.Zone}", "127.0.0.2");
        }

        return dns;
    }

    private static IpCheckRunner Runner(IDnsResolver dns, ChecksOptions? checks = null)
    {
        var options = Options.Create(checks ?? new ChecksOptions());
        return new IpCheckRunner(new ReverseDnsCheck(dns), new SpfCheck(new SpfEvaluator(dns, TimeProvider.System)), new DkimCheck(dns),
            new DmarcCheck(dns), new MxCheck(dns), new BlocklistCheck(dns, options), new SenderScoreCheck(dns, options),
            new DnsTrustProbe(dns, options, TimeProvider.System), options);
    }

    private static IpCheckRequest Request(string ip) => new(IPAddress.Parse(ip), ["example.test"], []);

    [Fact]
    public async Task RunMany_WhenManyIps_AsksTheProbeAndEachTestPointOncePerRun()
    {
        var dns = Healthy();
        using var runner = Runner(dns);
        var requests = Enumerable.Range(1, 50).Select(i => Request($"198.18.0.{i}")).ToList();

        var trust = runner.BeginRun();
        var results = await runner.RunManyAsync(requests, trust, Ct);

        Assert.Equal(1, dns.Questions.Count(q => q.Name == "a.root-servers.net"));
        Assert.Equal(1, dns.Questions.Count(q => q.Name == "nxdomain-probe.example.com"));
        foreach (var zone in Lists)
        {
            Assert.Equal(1, dns.Questions.Count(q => q.Name == $"1.0.0.127.{zone.Zone}"));
        }

        // 12 lists: 11 with both test points, Mailspike's reputation zone with only the one that must not be listed.
        var probeQuestions = dns.Questions.Count(q => q.Name.Contains(".0.0.127.", StringComparison.Ordinal)) + 2;
        Assert.Equal(2 + 23, probeQuestions);
        Assert.All(results.SelectMany(r => r).Where(r => r.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.Ordinal)),
            r => Assert.Equal(CheckStatus.Pass, r.Status));
        var report = trust.Report();
        Assert.True(report.Resolver!.Trusted);
        Assert.Equal(12, report.Lists.Count);
        Assert.All(report.Lists, l => Assert.True(l.Trusted, l.Problem));
    }

    [Fact]
    public async Task Run_WhenResolverSaysNxDomainToEverything_EveryResultIsUnknownWithTheReason()
    {
        // No name at all: NXDOMAIN for a.root-servers.net, for the test points and for the IP.
        using var runner = Runner(new FakeDnsResolver());

        var results = await runner.RunAsync(Request("192.0.2.20"), Ct);

        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            Assert.Equal(CheckStatus.Unknown, r.Status);
            Assert.Contains(DnsTrustProbe.ResolverReason, r.Summary, StringComparison.Ordinal);
            Assert.Contains("a.root-servers.net must exist", r.Summary, StringComparison.Ordinal);
        });
        var spamcop = results.Single(r => r.Check == "blocklist:bl.spamcop.net");
        Assert.StartsWith("SpamCop: unknown", spamcop.Summary, StringComparison.Ordinal);
        Assert.Equal("pass", spamcop.Details["untrusted"]!["status_as_read"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_WhenResolverAnswersNamesThatDoNotExist_EveryResultIsUnknown()
    {
        var dns = Healthy().A("nxdomain-probe.example.com", "203.0.113.80");
        using var runner = Runner(dns);

        var results = await runner.RunAsync(Request("192.0.2.20"), Ct);

        Assert.All(results, r => Assert.Equal(CheckStatus.Unknown, r.Status));
        Assert.Contains("nxdomain-probe.example.com must not exist, the answer was 203.0.113.80", results[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenOneListLacksItsTestPoint_OnlyThatListIsUnknown()
    {
        var dns = new FakeDnsResolver().A("a.root-servers.net", "198.41.0.4");
        foreach (var zone in Lists.Where(z => z.Zone != "bl.spamcop.net"))
        {
            if (zone.EffectiveTestPoints.MustBeListed is { } listed) dns.A($"{listed}.{zone.Zone}", "127.0.0.2");
        }

        dns.A("20.2.0.192.bl.spamcop.net", "127.0.0.2").A("20.2.0.192.psbl.surriel.com", "127.0.0.2");
        using var runner = Runner(dns);

        var results = await runner.RunAsync(Request("192.0.2.20"), Ct);

        var spamcop = results.Single(r => r.Check == "blocklist:bl.spamcop.net");
        Assert.Equal(CheckStatus.Unknown, spamcop.Status);
        Assert.Equal("SpamCop: unknown, the resolver or the list is not answering correctly (test point 127.0.0.2 must be listed, the answer was NXDOMAIN).", spamcop.Summary);
        Assert.Equal("fail", spamcop.Details["untrusted"]!["status_as_read"]!.GetValue<string>());
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Check == "blocklist:psbl.surriel.com").Status);
        Assert.Equal(CheckStatus.Pass, results.Single(r => r.Check == "blocklist:ix.dnsbl.manitu.net").Status);
        Assert.Null(results.Single(r => r.Check == "ptr").Details["untrusted"]);
    }

    [Fact]
    public async Task Run_WhenListAnswersEverythingAsListed_ItsListingsAreUnknown()
    {
        var dns = Healthy().A("1.0.0.127.psbl.surriel.com", "127.0.0.2").A("20.2.0.192.psbl.surriel.com", "127.0.0.2");
        using var runner = Runner(dns);

        var psbl = (await runner.RunAsync(Request("192.0.2.20"), Ct)).Single(r => r.Check == "blocklist:psbl.surriel.com");

        Assert.Equal(CheckStatus.Unknown, psbl.Status);
        Assert.Contains("test point 127.0.0.1 must not be listed, the answer was 127.0.0.2", psbl.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenSpamhausRefusesTheTestPoint_ZenIsUnknownAndSaysWhy()
    {
        var dns = new FakeDnsResolver().A("a.root-servers.net", "198.41.0.4")
            .A("2.0.0.127.zen.spamhaus.org", "127.255.255.254").A("20.2.0.192.zen.spamhaus.org", "127.255.255.254");
        using var runner = Runner(dns);

        var zen = (await runner.RunAsync(Request("192.0.2.20"), Ct)).Single(r => r.Check == "blocklist:zen.spamhaus.org");

        Assert.Equal(CheckStatus.Unknown, zen.Status);
        Assert.Contains("public/open resolver", zen.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenDqsKey_TestPointsAreAskedThroughItAndTheKeyIsMasked()
    {
        var dns = Healthy().A("2.0.0.127.KEY123.zen.dq.spamhaus.net", "127.0.0.2");
        using var runner = Runner(dns, new ChecksOptions { SpamhausDqsKey = "KEY123" });

        var trust = runner.BeginRun();
        var zen = (await runner.RunAsync(Request("192.0.2.10"), trust, Ct)).Single(r => r.Check == "blocklist:zen.spamhaus.org");

        Assert.Equal(CheckStatus.Pass, zen.Status);
        var health = trust.Report().Lists.Single(l => l.Zone == "zen.spamhaus.org");
        Assert.Contains(health.Probes, p => p.Name == "2.0.0.127.<dqs-key>.zen.dq.spamhaus.net" && p.Passed);
        Assert.DoesNotContain("KEY123", trust.Report().ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_RoundTripsThroughJson()
    {
        var report = new DnsHealthReport(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
            new ResolverHealth(false, [new DnsProbe("a.root-servers.net", DnsProbeExpectation.Exists, DnsOutcome.NxDomain, [], null, false, "a.root-servers.net must exist, the answer was NXDOMAIN")]),
            [new ListHealth("bl.spamcop.net", "SpamCop", true, [])]);

        var back = DnsHealthReport.FromJson(report.ToJson())!;

        Assert.False(back.Resolver!.Trusted);
        Assert.Equal("a.root-servers.net must exist, the answer was NXDOMAIN", back.Resolver.Problem);
        Assert.Contains("\"expected\":\"exists\"", report.ToJson(), StringComparison.Ordinal);
        Assert.Equal("SpamCop", Assert.Single(back.Lists).Name);
    }

    [Theory]
    [InlineData(CheckStatus.Fail, CheckStatus.Pass, true)]
    [InlineData(CheckStatus.Pass, CheckStatus.Fail, true)]
    [InlineData(CheckStatus.Fail, CheckStatus.Unknown, false)]
    [InlineData(CheckStatus.Unknown, CheckStatus.Pass, false)]
    [InlineData(CheckStatus.Unknown, CheckStatus.Fail, false)]
    [InlineData(CheckStatus.Pass, CheckStatus.Pass, false)]
    public void CheckChange_IsChange_NeverFromOrToUnknown(CheckStatus from, CheckStatus to, bool expected) =>
        Assert.Equal(expected, CheckChange.IsChange(from, to));

    [Fact]
    public void ChecklistUpdate_WhenListingCheckTurnsUnknown_ItemIsNeitherTickedNorGone()
    {
        var now = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var item = new RemediationItem
        {
            SendingIpId = 7, Key = "blocklist:bl.spamcop.net", Title = "Get off SpamCop", Action = "…", VerifiedBy = "…",
            Verification = RemediationVerification.Check, StillEvident = true, RaisedAt = now.AddDays(-1), UpdatedAt = now.AddDays(-1),
        };
        var unknown = new CheckSighting("blocklist:bl.spamcop.net", "192.0.2.20", CheckStatus.Unknown,
            "SpamCop: unknown, the resolver or the list is not answering correctly (…).", now);

        ChecklistUpdate.Apply(7, [item], [], [unknown], now);

        Assert.False(item.Done);
        Assert.True(item.StillEvident);
        Assert.Equal(now.AddDays(-1), item.UpdatedAt);
    }
}
