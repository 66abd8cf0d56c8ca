using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Dns;
using Deliverability.Testing;
using Microsoft.Extensions.Options;

namespace Deliverability.DnsTests;

/// <summary>
/// The resolver probe and the RFC 5782 test points against real NSD: the fixture server, and a private NSD that lies
/// (a root zone with only SOA and NS, so every name is NXDOMAIN). 192.0.2.20 is listed on every fixture list.
/// </summary>
public sealed class DnsTrustAgainstNsdTests(FixtureServer server) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly IPAddress Listed = IPAddress.Parse("192.0.2.20");

    private PrivateNameServer _lying = default!;

    public async ValueTask InitializeAsync()
    {
        server.Require();
        _lying = await PrivateNameServer.StartLyingAsync();
    }

    public async ValueTask DisposeAsync() => await _lying.DisposeAsync();

    private static IpCheckRunner Runner(IDnsResolver dns, IOptions<ChecksOptions> options) =>
        new(new ReverseDnsCheck(dns), new SpfCheck(new SpfEvaluator(dns, TimeProvider.System)), new DkimCheck(dns), new DmarcCheck(dns),
            new MxCheck(dns), new BlocklistCheck(dns, options), new SenderScoreCheck(dns, options), new DnsTrustProbe(dns, options, TimeProvider.System), options);

    private static IpCheckRequest Request() =>
        new(Listed, ["good.test"], [new DkimSelector("good.test", "rsa2048")], "mail.good.test");

    [Fact]
    public async Task Run_WhenResolverAnswersNxDomainToEverything_EveryResultIsUnknownNeverNotListed()
    {
        var dns = TestDns.Resolver(server: _lying.Address);
        using var runner = Runner(dns, TestDns.ChecksOptions());
        var trust = runner.BeginRun();

        var results = await runner.RunAsync(Request(), trust, Ct);

        Assert.Equal(3 + 5 + 12 + 1, results.Count);
        Assert.All(results, r =>
        {
            Assert.True(r.Status == CheckStatus.Unknown, $"{r.Check}: {r.Status} {r.Summary}");
            Assert.Contains("the resolver is not answering correctly (deliverability.test must exist, the answer was NXDOMAIN)", r.Summary, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(results, r => r.Summary.StartsWith("Not listed", StringComparison.Ordinal));
        var report = trust.Report();
        Assert.False(report.Resolver!.Trusted);
        Assert.Empty(report.Lists);
    }

    [Fact]
    public async Task Run_WhenResolverProbeIsOffAndResolverLies_TheTestPointsStillMakeEveryListUnknown()
    {
        var dns = TestDns.Resolver(server: _lying.Address);
        using var runner = Runner(dns, TestDns.ChecksOptions(o => (o.ResolverMustExist, o.ResolverMustNotExist) = ("", "")));
        var trust = runner.BeginRun();

        var lists = (await runner.RunAsync(Request(), trust, Ct)).Where(r => r.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.Ordinal)).ToList();

        Assert.Equal(12, lists.Count);
        // Eleven lists fail their 127.0.0.2 test point. Mailspike's reputation zone has none to fail and NXDOMAIN for the IP is
        // "no reputation data" there; it is the one list this lying resolver can still fool, and the resolver probe covers it.
        var untrusted = lists.Where(r => r.Status == CheckStatus.Unknown).ToList();
        Assert.Equal(11, untrusted.Count);
        Assert.All(untrusted, r => Assert.Contains("not answering correctly (test point 127.0.0.2 must be listed, the answer was NXDOMAIN)", r.Summary, StringComparison.Ordinal));
        Assert.Equal(["blocklist:rep.mailspike.net"], lists.Except(untrusted).Select(r => r.Check));
        Assert.Equal(11, trust.Report().Lists.Count(l => !l.Trusted));
    }

    [Fact]
    public async Task Run_WhenOneListLacksTestPoint_OnlyThatListIsUnknownAndTheOthersStillList()
    {
        var options = TestDns.ChecksOptions(o => o.ZoneOverrides["bl.spamcop.net"] = "no-test-point");
        using var runner = Runner(TestDns.Resolver(), options);
        var trust = runner.BeginRun();

        var results = await runner.RunAsync(Request(), trust, Ct);

        var spamcop = results.Single(r => r.Check == "blocklist:bl.spamcop.net");
        Assert.Equal(CheckStatus.Unknown, spamcop.Status);
        Assert.Equal("SpamCop: unknown, the resolver or the list is not answering correctly (test point 127.0.0.2 must be listed, the answer was NXDOMAIN).", spamcop.Summary);
        Assert.Equal("fail", spamcop.Details["untrusted"]!["status_as_read"]!.GetValue<string>());
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Check == "blocklist:zen.spamhaus.org").Status);
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Check == "blocklist:psbl.surriel.com").Status);
        Assert.DoesNotContain("untrusted", results.Single(r => r.Check == "spf").Details.ToString(), StringComparison.Ordinal);
        var report = trust.Report();
        Assert.True(report.Resolver!.Trusted);
        Assert.Equal(["bl.spamcop.net"], report.Lists.Where(l => !l.Trusted).Select(l => l.Zone));
    }

    [Fact]
    public async Task Run_WhenResolverAndListsAreHealthy_ListedAndNotListedAsBefore()
    {
        using var runner = Runner(TestDns.Resolver(), TestDns.ChecksOptions());
        var trust = runner.BeginRun();

        var batch = await runner.RunManyAsync([Request(), Request() with { Ip = IPAddress.Parse("192.0.2.10") }], trust, Ct);

        var listed = batch[0].Where(r => r.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.Ordinal)).ToList();
        var clean = batch[1].Where(r => r.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(CheckStatus.Fail, listed.Single(r => r.Check == "blocklist:zen.spamhaus.org").Status);
        Assert.Equal(CheckStatus.Fail, listed.Single(r => r.Check == "blocklist:bl.spamcop.net").Status);
        Assert.DoesNotContain(listed.Concat(clean), r => r.Status == CheckStatus.Unknown);
        Assert.All(clean, r => Assert.Equal(CheckStatus.Pass, r.Status));
        var report = trust.Report();
        Assert.True(report.Resolver!.Trusted);
        Assert.Equal(12, report.Lists.Count);
        Assert.All(report.Lists, l => Assert.True(l.Trusted, $"{l.Zone}: {l.Problem}"));
    }
}
