using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Tests.Checks;

public class BlocklistCheckTests
{
    private static readonly BlocklistZone Zen = BlocklistCatalogue.Find("zen.spamhaus.org")!;

    [Theory]
    [InlineData("127.0.0.2", CheckStatus.Fail, "SBL")]
    [InlineData("127.0.0.3", CheckStatus.Fail, "CSS")]
    [InlineData("127.0.0.4", CheckStatus.Fail, "XBL")]
    [InlineData("127.0.0.5", CheckStatus.Fail, "XBL")]
    [InlineData("127.0.0.7", CheckStatus.Fail, "XBL")]
    [InlineData("127.0.0.9", CheckStatus.Fail, "DROP")]
    [InlineData("127.0.0.10", CheckStatus.Fail, "PBL")]
    [InlineData("127.0.0.11", CheckStatus.Fail, "PBL")]
    [InlineData("127.255.255.252", CheckStatus.Unknown, "typo")]
    [InlineData("127.255.255.254", CheckStatus.Unknown, "public/open resolver")]
    [InlineData("127.255.255.255", CheckStatus.Unknown, "excessive")]
    [InlineData("127.255.255.250", CheckStatus.Unknown, "Spamhaus error")]
    [InlineData("127.0.0.8", CheckStatus.Warn, "unrecognised")]
    [InlineData("10.0.0.1", CheckStatus.Unknown, "outside 127.0.0.0/8")]
    public void Read_WhenSpamhausAnswer_ReadsCode(string answer, CheckStatus status, string meaning)
    {
        var reading = BlocklistCheck.Read(Zen, answer);
        Assert.Equal(status, reading.Status);
        Assert.Contains(meaning, reading.Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("all.spamrats.com", "127.0.0.36", CheckStatus.Fail, "Dyna")]
    [InlineData("all.spamrats.com", "127.0.0.37", CheckStatus.Fail, "NoPtr")]
    [InlineData("all.spamrats.com", "127.0.0.38", CheckStatus.Fail, "Spam")]
    [InlineData("rep.mailspike.net", "127.0.0.14", CheckStatus.Pass, "neutral")]
    [InlineData("rep.mailspike.net", "127.0.0.20", CheckStatus.Pass, "excellent")]
    [InlineData("bl.mailspike.net", "127.0.0.12", CheckStatus.Warn, "bad")]
    [InlineData("dnsbl-3.uceprotect.net", "127.0.0.2", CheckStatus.Warn, "ASN")]
    [InlineData("bl.spamcop.net", "127.255.255.254", CheckStatus.Warn, "unrecognised")]
    public void Read_WhenOtherListAnswer_UsesThatListsCodes(string zone, string answer, CheckStatus status, string meaning)
    {
        var reading = BlocklistCheck.Read(BlocklistCatalogue.Find(zone)!, answer);
        Assert.Equal(status, reading.Status);
        Assert.Contains(meaning, reading.Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_ByDefault_HasTwelveEnabledListsAndBarracudaNeedsRegistration()
    {
        Assert.Equal(12, BlocklistCatalogue.All.Count(z => z.EnabledByDefault));
        var barracuda = BlocklistCatalogue.Find("b.barracudacentral.org")!;
        Assert.True(barracuda.RequiresRegistration);
        Assert.False(barracuda.EnabledByDefault);
        Assert.All(BlocklistCatalogue.All, z => Assert.False(string.IsNullOrEmpty(z.RemovalUrl)));
        Assert.DoesNotContain(BlocklistCatalogue.All, z => z.Zone.Contains("sorbs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, "zen.spamhaus.org")]
    [InlineData(null, "dnsbl.test", "zen.spamhaus.org.dnsbl.test")]
    [InlineData("KEY123", null, "KEY123.zen.dq.spamhaus.net")]
    [InlineData("KEY123", "dnsbl.test", "KEY123.zen.dq.spamhaus.net.dnsbl.test")]
    public void EffectiveZone_WhenDqsKeyAndSuffix_RewritesZone(string? key, string? suffix, string expected)
    {
        var options = new ChecksOptions { SpamhausDqsKey = key, ZoneSuffix = suffix };
        Assert.Equal(expected, options.EffectiveZone("zen.spamhaus.org", isSpamhaus: true));
    }

    [Fact]
    public void EffectiveZone_WhenOverride_UsesIt()
    {
        var options = new ChecksOptions();
        options.ZoneOverrides["bl.spamcop.net"] = "mirror.example.test";
        Assert.Equal("mirror.example.test", options.EffectiveZone("bl.spamcop.net"));
    }

    [Fact]
    public async Task RunAsync_WhenIpv4Listed_QueriesReversedOctetsAndFetchesTxt()
    {
        var dns = new FakeDnsResolver().A("10.2.0.192.zen.spamhaus.org", "127.0.0.4").Txt("10.2.0.192.zen.spamhaus.org", "https://example.test/why");
        var result = await new BlocklistCheck(dns, Options.Create(new ChecksOptions())).RunAsync(IPAddress.Parse("192.0.2.10"), Zen, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Equal("blocklist:zen.spamhaus.org", result.Check);
        Assert.Equal("https://example.test/why", result.Details["reason"]!.GetValue<string>());
        Assert.Equal("zen.spamhaus.org", dns.Questions[0].Zone);
    }

    [Fact]
    public async Task RunAsync_WhenIpv6_QueriesNibbles()
    {
        var dns = new FakeDnsResolver();
        await new BlocklistCheck(dns, Options.Create(new ChecksOptions())).RunAsync(IPAddress.Parse("2001:db8::1"), Zen, TestContext.Current.CancellationToken);
        Assert.Equal("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org", dns.Questions[0].Name);
    }

    [Fact]
    public async Task RunAsync_WhenNxDomain_Passes()
    {
        var result = await new BlocklistCheck(new FakeDnsResolver(), Options.Create(new ChecksOptions())).RunAsync(IPAddress.Parse("192.0.2.10"), Zen, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task RunAsync_WhenLookupFails_IsUnknownNeverListedOrPass()
    {
        var dns = new FakeDnsResolver().Fail("10.2.0.192.zen.spamhaus.org", DnsRecordKind.A, "SERVFAIL");
        var result = await new BlocklistCheck(dns, Options.Create(new ChecksOptions())).RunAsync(IPAddress.Parse("192.0.2.10"), Zen, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Contains("SERVFAIL", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenSpamhausRefuses_IsUnknownWithReason()
    {
        var dns = new FakeDnsResolver().A("10.2.0.192.zen.spamhaus.org", "127.255.255.254");
        var result = await new BlocklistCheck(dns, Options.Create(new ChecksOptions())).RunAsync(IPAddress.Parse("192.0.2.10"), Zen, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Contains("public/open resolver", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Zones_WhenConfiguredList_UsesItIncludingCustomZones()
    {
        var options = new ChecksOptions();
        options.Blocklists.Add("b.barracudacentral.org");
        options.Blocklists.Add("custom.example.test");
        var zones = new BlocklistCheck(new FakeDnsResolver(), Options.Create(options)).Zones();
        Assert.Equal(["b.barracudacentral.org", "custom.example.test"], zones.Select(z => z.Zone));
    }
}
