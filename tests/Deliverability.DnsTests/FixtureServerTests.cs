using Deliverability.Core.Dns;

namespace Deliverability.DnsTests;

/// <summary>Fails loudly when the fixture server is not running, so a missing NSD is never mistaken for green tests.</summary>
public class FixtureServerTests(FixtureServer server)
{
    [Fact]
    public async Task QueryAsync_WhenFixtureServerRuns_AnswersBaseZone()
    {
        server.Require();
        var answer = await TestDns.Resolver().QueryAsync("deliverability.test", DnsRecordKind.Mx, TestContext.Current.CancellationToken);
        Assert.True(answer.Outcome == DnsOutcome.Found,
            $"The fixture DNS server at {TestDns.Server} did not answer ({answer.Describe()}). Start it with " +
            "DELIVERABILITY_DNS_PORT=<port> scripts/dns-up.sh and set DELIVERABILITY_TEST_DNS=127.0.0.1:<port>.");
        Assert.Equal(["mail.deliverability.test"], answer.Records);
    }

    [Fact]
    public async Task QueryAsync_WhenManyQueriesInParallel_AllAnswerQuickly()
    {
        server.Require();
        var resolver = TestDns.Resolver(o => o.UseCache = false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i =>
            resolver.QueryAsync($"{i % 256}.{i / 256 % 4}.18.198.in-addr.arpa", DnsRecordKind.Ptr, TestContext.Current.CancellationToken)));
        watch.Stop();
        Assert.All(answers, a => Assert.Equal(DnsOutcome.Found, a.Outcome));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"2000 PTR queries took {watch.Elapsed.TotalSeconds:0.0} s");
        TestContext.Current.SendDiagnosticMessage($"2000 PTR queries: {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task QueryAsync_WhenBlocklistBurstWithDefaultLimits_NoQueryTimesOut()
    {
        server.Require();
        var resolver = TestDns.Resolver(o => o.UseCache = false);
        var zones = Deliverability.Core.Checks.Blocklists.BlocklistCatalogue.All.Select(z => z.Zone + ".dnsbl.test").ToList();
        var answers = await Task.WhenAll(Enumerable.Range(0, 1200).Select(i =>
        {
            var zone = zones[i % zones.Count];
            return resolver.QueryAsync(new DnsQuestion($"{i % 250}.{i / 250}.19.198.{zone}", DnsRecordKind.A, zone), TestContext.Current.CancellationToken);
        }));
        Assert.All(answers, a => Assert.Equal(DnsOutcome.NxDomain, a.Outcome));
    }
}
