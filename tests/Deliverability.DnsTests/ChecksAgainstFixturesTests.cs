using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Options;

namespace Deliverability.DnsTests;

/// <summary>Every check against the NSD fixture zones in tests/dns/zones, through the real DnsClient resolver.</summary>
public class ChecksAgainstFixturesTests
{
    public ChecksAgainstFixturesTests(FixtureServer server) => server.Require();

    private static readonly DnsClientResolver Dns = TestDns.Resolver();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("192.0.2.10", "good.test", SpfResult.Pass)]
    [InlineData("192.0.2.5", "good.test", SpfResult.Pass)]
    [InlineData("2001:db8::7", "good.test", SpfResult.Pass)]
    [InlineData("198.51.100.1", "good.test", SpfResult.Fail)]
    [InlineData("198.51.100.1", "none.test", SpfResult.SoftFail)]
    [InlineData("192.0.2.10", "broken.test", SpfResult.PermError)]
    [InlineData("192.0.2.10", "syntax.broken.test", SpfResult.PermError)]
    [InlineData("192.0.2.10", "chain.broken.test", SpfResult.PermError)]
    [InlineData("192.0.2.10", "void.broken.test", SpfResult.PermError)]
    [InlineData("192.0.2.10", "noinc.broken.test", SpfResult.PermError)]
    [InlineData("192.0.2.10", "macro.test", SpfResult.Pass)]
    [InlineData("192.0.2.11", "macro.test", SpfResult.Fail)]
    [InlineData("192.0.2.3", "redirect.macro.test", SpfResult.Pass)]
    [InlineData("192.0.2.10", "ptr.macro.test", SpfResult.Pass)]
    [InlineData("192.0.2.11", "ptr.macro.test", SpfResult.Fail)]
    [InlineData("192.0.2.10", "sub.good.test", SpfResult.Pass)]
    [InlineData("192.0.2.10", "nothing.good.test", SpfResult.None)]
    public async Task SpfEvaluator_WhenFixtureDomain_ReturnsExpectedResult(string ip, string domain, SpfResult expected)
    {
        var evaluation = await new SpfEvaluator(Dns, TimeProvider.System).EvaluateAsync(IPAddress.Parse(ip), domain, null, null, Ct);
        Assert.True(expected == evaluation.Result, $"{domain} for {ip}: {evaluation.Result} ({evaluation.Reason})");
    }

    [Fact]
    public async Task SpfEvaluator_WhenIncludeChainTooLong_ReportsElevenLookups()
    {
        var evaluation = await new SpfEvaluator(Dns, TimeProvider.System).EvaluateAsync(IPAddress.Parse("192.0.2.10"), "chain.broken.test", null, null, Ct);
        Assert.Equal(11, evaluation.DnsLookups);
        Assert.Contains("more than 10 DNS lookups", evaluation.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa2048", CheckStatus.Pass, 2048)]
    [InlineData("rsa1024", CheckStatus.Warn, 1024)]
    [InlineData("rsa512", CheckStatus.Fail, 512)]
    [InlineData("testing", CheckStatus.Warn, 2048)]
    [InlineData("ed25519", CheckStatus.Pass, 256)]
    public async Task DkimCheck_WhenFixtureKey_MeasuresKey(string selector, CheckStatus expected, int bits)
    {
        var result = await new DkimCheck(Dns).RunAsync("good.test", selector, Ct);
        Assert.Equal(expected, result.Status);
        Assert.Equal(bits, result.Details["key"]!["key_bits"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("revoked", "revoked")]
    [InlineData("garbage", "not an RSA public key")]
    [InlineData("missing", "No DKIM key")]
    public async Task DkimCheck_WhenKeyRevokedBrokenOrMissing_Fails(string selector, string expected)
    {
        var result = await new DkimCheck(Dns).RunAsync("good.test", selector, Ct);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains(expected, result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("good.test", false, CheckStatus.Pass)]
    [InlineData("mail.good.test", false, CheckStatus.Pass)]
    [InlineData("none.test", false, CheckStatus.Warn)]
    [InlineData("broken.test", false, CheckStatus.Fail)]
    [InlineData("isp.test", true, CheckStatus.Fail)]
    public async Task DmarcCheck_WhenFixtureDomain_ReturnsExpectedStatus(string domain, bool blocked, CheckStatus expected)
    {
        var result = await new DmarcCheck(Dns).RunAsync(domain, blocked, Ct);
        Assert.Equal(expected, result.Status);
        if (blocked) Assert.Contains("Urgent", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DmarcCheck_WhenRfc7489OnlyTags_NotesRfc9989()
    {
        var result = await new DmarcCheck(Dns).RunAsync("none.test", false, Ct);
        var notes = result.Details["record"]!["notes"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Contains(notes, n => n.Contains("RFC 9989", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("192.0.2.10", CheckStatus.Pass, CheckStatus.Pass)]
    [InlineData("192.0.2.11", CheckStatus.Pass, CheckStatus.Fail)]
    [InlineData("192.0.2.12", CheckStatus.Warn, CheckStatus.Pass)]
    [InlineData("192.0.2.13", CheckStatus.Warn, CheckStatus.Pass)]
    [InlineData("192.0.2.14", CheckStatus.Fail, CheckStatus.Fail)]
    [InlineData("192.0.2.15", CheckStatus.Pass, CheckStatus.Fail)]
    [InlineData("2001:db8::10", CheckStatus.Pass, CheckStatus.Pass)]
    public async Task ReverseDnsCheck_WhenFixturePtr_ReturnsPtrAndFcrdns(string ip, CheckStatus ptr, CheckStatus fcrdns)
    {
        var results = await new ReverseDnsCheck(Dns).RunAsync(IPAddress.Parse(ip), null, Ct);
        Assert.Equal(ptr, results.Single(r => r.Check == "ptr").Status);
        Assert.Equal(fcrdns, results.Single(r => r.Check == "fcrdns").Status);
    }

    [Theory]
    [InlineData("mail.good.test", CheckStatus.Pass)]
    [InlineData("good.test", CheckStatus.Warn)]
    [InlineData("mismatch.good.test", CheckStatus.Fail)]
    [InlineData("[192.0.2.10]", CheckStatus.Fail)]
    public async Task ReverseDnsCheck_WhenHeloGiven_ChecksIt(string helo, CheckStatus expected)
    {
        var results = await new ReverseDnsCheck(Dns).RunAsync(IPAddress.Parse("192.0.2.10"), helo, Ct);
        Assert.Equal(expected, results.Single(r => r.Check == "helo").Status);
    }

    [Theory]
    [InlineData("good.test", CheckStatus.Pass)]
    [InlineData("none.test", CheckStatus.Warn)]
    [InlineData("broken.test", CheckStatus.Warn)]
    [InlineData("nothing.good.test", CheckStatus.Fail)]
    public async Task MxCheck_WhenFixtureDomain_ReturnsExpectedStatus(string domain, CheckStatus expected) =>
        Assert.Equal(expected, (await new MxCheck(Dns).RunAsync(domain, Ct)).Status);

    [Theory]
    [InlineData("zen.spamhaus.org", "192.0.2.10", CheckStatus.Pass, null)]
    [InlineData("zen.spamhaus.org", "192.0.2.20", CheckStatus.Fail, "SBL")]
    [InlineData("zen.spamhaus.org", "192.0.2.21", CheckStatus.Fail, "CSS")]
    [InlineData("zen.spamhaus.org", "192.0.2.22", CheckStatus.Fail, "XBL")]
    [InlineData("zen.spamhaus.org", "192.0.2.23", CheckStatus.Fail, "DROP")]
    [InlineData("zen.spamhaus.org", "192.0.2.24", CheckStatus.Fail, "PBL")]
    [InlineData("zen.spamhaus.org", "192.0.2.25", CheckStatus.Fail, "PBL")]
    [InlineData("zen.spamhaus.org", "192.0.2.26", CheckStatus.Unknown, "public/open resolver")]
    [InlineData("zen.spamhaus.org", "192.0.2.27", CheckStatus.Unknown, "excessive")]
    [InlineData("zen.spamhaus.org", "192.0.2.28", CheckStatus.Unknown, "typo")]
    [InlineData("zen.spamhaus.org", "2001:db8::20", CheckStatus.Fail, "SBL")]
    [InlineData("zen.spamhaus.org", "127.0.0.2", CheckStatus.Fail, "SBL")]
    [InlineData("bl.spamcop.net", "192.0.2.20", CheckStatus.Fail, "reported")]
    [InlineData("bl.spamcop.net", "192.0.2.29", CheckStatus.Unknown, "outside 127.0.0.0/8")]
    [InlineData("dnsbl-1.uceprotect.net", "192.0.2.20", CheckStatus.Fail, "level 1")]
    [InlineData("dnsbl-2.uceprotect.net", "192.0.2.21", CheckStatus.Warn, "level 2")]
    [InlineData("dnsbl-3.uceprotect.net", "192.0.2.22", CheckStatus.Warn, "level 3")]
    [InlineData("psbl.surriel.com", "192.0.2.20", CheckStatus.Fail, "PSBL")]
    [InlineData("bl.mailspike.net", "192.0.2.20", CheckStatus.Fail, "zombie")]
    [InlineData("bl.mailspike.net", "192.0.2.21", CheckStatus.Fail, "worst")]
    [InlineData("bl.mailspike.net", "192.0.2.22", CheckStatus.Warn, "bad")]
    [InlineData("rep.mailspike.net", "192.0.2.10", CheckStatus.Pass, "excellent")]
    [InlineData("rep.mailspike.net", "192.0.2.20", CheckStatus.Fail, "worst")]
    [InlineData("all.spamrats.com", "192.0.2.20", CheckStatus.Fail, "Dyna")]
    [InlineData("all.spamrats.com", "192.0.2.21", CheckStatus.Fail, "NoPtr")]
    [InlineData("all.spamrats.com", "192.0.2.22", CheckStatus.Fail, "RATS-Spam")]
    [InlineData("all.spamrats.com", "192.0.2.23", CheckStatus.Fail, "Auth")]
    [InlineData("all.spamrats.com", "192.0.2.24", CheckStatus.Warn, "unrecognised")]
    [InlineData("ips.backscatterer.org", "192.0.2.20", CheckStatus.Warn, "backscatter")]
    [InlineData("all.s5h.net", "192.0.2.20", CheckStatus.Fail, "abuse")]
    [InlineData("ix.dnsbl.manitu.net", "192.0.2.20", CheckStatus.Fail, "NiX")]
    [InlineData("b.barracudacentral.org", "192.0.2.20", CheckStatus.Fail, "Barracuda")]
    public async Task BlocklistCheck_WhenFixtureAnswer_ReadsReturnCode(string zone, string ip, CheckStatus expected, string? summaryContains)
    {
        var check = new BlocklistCheck(Dns, TestDns.ChecksOptions());
        var result = await check.RunAsync(IPAddress.Parse(ip), BlocklistCatalogue.Find(zone)!, Ct);
        Assert.Equal(expected, result.Status);
        if (summaryContains is not null) Assert.Contains(summaryContains, result.Summary, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BlocklistCheck_WhenListed_FetchesTxtReason()
    {
        var result = await new BlocklistCheck(Dns, TestDns.ChecksOptions()).RunAsync(IPAddress.Parse("192.0.2.20"), BlocklistCatalogue.Find("zen.spamhaus.org")!, Ct);
        Assert.Contains("Listed in SBL", result.Details["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlocklistCheck_WhenDqsKeyConfigured_QueriesDqsZoneAndHidesKey()
    {
        var check = new BlocklistCheck(Dns, TestDns.ChecksOptions(o => o.SpamhausDqsKey = "testkey"));
        var result = await check.RunAsync(IPAddress.Parse("192.0.2.20"), BlocklistCatalogue.Find("zen.spamhaus.org")!, Ct);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Equal("20.2.0.192.<dqs-key>.zen.dq.spamhaus.net.dnsbl.test", result.Details["query"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("192.0.2.10", CheckStatus.Pass, 95)]
    [InlineData("192.0.2.11", CheckStatus.Warn, 80)]
    [InlineData("192.0.2.12", CheckStatus.Fail, 40)]
    [InlineData("192.0.2.13", CheckStatus.Unknown, null)]
    public async Task SenderScoreCheck_WhenFixtureScore_GradesIt(string ip, CheckStatus expected, int? score)
    {
        var result = await new SenderScoreCheck(Dns, TestDns.ChecksOptions()).RunAsync(IPAddress.Parse(ip), Ct);
        Assert.Equal(expected, result.Status);
        Assert.Equal(score, result.Details["score"]?.GetValue<int>());
    }

    [Fact]
    public async Task IpCheckRunner_WhenGoodSetup_EverythingPasses()
    {
        var options = TestDns.ChecksOptions();
        using var runner = new IpCheckRunner(new ReverseDnsCheck(Dns), new SpfCheck(new SpfEvaluator(Dns, TimeProvider.System)), new DkimCheck(Dns),
            new DmarcCheck(Dns), new MxCheck(Dns), new BlocklistCheck(Dns, options), new SenderScoreCheck(Dns, options), new DnsTrustProbe(Dns, options, TimeProvider.System), options);
        var results = await runner.RunAsync(
            new IpCheckRequest(IPAddress.Parse("192.0.2.10"), ["good.test"], [new DkimSelector("good.test", "rsa2048")], "mail.good.test"), Ct);
        Assert.Equal(3 + 5 + 12 + 1, results.Count);
        Assert.All(results, r => Assert.True(r.Status == CheckStatus.Pass, $"{r.Check} {r.Target}: {r.Status} {r.Summary}"));
    }

    [Fact]
    public async Task QueryAsync_WhenNameServerNeverAnswers_ReturnsFailedWithinTimeout()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var resolver = new DnsClientResolver(Options.Create(SilentServer(port)), TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var answer = await resolver.QueryAsync("good.test", DnsRecordKind.Txt, Ct);
        watch.Stop();
        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("timeout", answer.Error, StringComparison.OrdinalIgnoreCase);
        // One attempt of 500 ms (Retries = 0), plus slack for a loaded machine.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450) && watch.Elapsed < TimeSpan.FromMilliseconds(1500), $"took {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Checks_WhenNameServerNeverAnswers_AreUnknownNotPass()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var resolver = new DnsClientResolver(Options.Create(SilentServer(port)), TimeProvider.System);
        var ip = IPAddress.Parse("192.0.2.20");
        var results = new List<CheckResult>
        {
            await new BlocklistCheck(resolver, TestDns.ChecksOptions()).RunAsync(ip, BlocklistCatalogue.Find("zen.spamhaus.org")!, Ct),
            await new SenderScoreCheck(resolver, TestDns.ChecksOptions()).RunAsync(ip, Ct),
            await new SpfCheck(new SpfEvaluator(resolver, TimeProvider.System)).RunAsync(ip, "good.test", null, Ct),
            await new DkimCheck(resolver).RunAsync("good.test", "rsa2048", Ct),
            await new DmarcCheck(resolver).RunAsync("good.test", false, Ct),
            await new MxCheck(resolver).RunAsync("good.test", Ct),
        };
        results.AddRange(await new ReverseDnsCheck(resolver).RunAsync(ip, "mail.good.test", Ct));
        Assert.All(results, r => Assert.Equal(CheckStatus.Unknown, r.Status));
    }

    [Fact]
    public async Task QueryAsync_WhenServerRefuses_IsFailedNotNxDomain()
    {
        var answer = await Dns.QueryAsync("example.invalid", DnsRecordKind.A, Ct);
        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("Refused", answer.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BlocklistCheck_WhenZoneNotServed_IsUnknown()
    {
        var check = new BlocklistCheck(Dns, TestDns.ChecksOptions(o => o.ZoneSuffix = "not-served.invalid"));
        var result = await check.RunAsync(IPAddress.Parse("192.0.2.20"), BlocklistCatalogue.Find("zen.spamhaus.org")!, Ct);
        Assert.Equal(CheckStatus.Unknown, result.Status);
    }

    [Fact]
    public async Task QueryAsync_WhenTxtOver255Characters_JoinsStrings()
    {
        var answer = await Dns.QueryAsync("rsa2048._domainkey.good.test", DnsRecordKind.Txt, Ct);
        var record = Assert.Single(answer.Records);
        Assert.True(record.Length > 255);
        Assert.EndsWith("IDAQAB", record, StringComparison.Ordinal);
    }

    private static DnsOptions SilentServer(int port)
    {
        var options = new DnsOptions { Timeout = TimeSpan.FromMilliseconds(500), Retries = 0, UseTcpFallback = false };
        options.NameServers.Add($"127.0.0.1:{port}");
        return options;
    }
}
