using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Checks;

/// <summary>The dynamic-IP cause reads the checks' stored evidence, not the words of their summaries.</summary>
public class DynamicIpSignsTests
{
    private static string Ptr(params string[] reasons) => CheckJson.ToObject(new PtrEvidence("9.100.51.198.in-addr.arpa", DnsOutcome.Found,
        ["host.example.net"], null, [new GenericVerdict("host.example.net", reasons)])).ToJsonString(CheckJson.Options);

    private static string Listing(string zoneName, string answer)
    {
        var zone = BlocklistCatalogue.Find(zoneName)!;
        return CheckJson.ToObject(new BlocklistEvidence(zone.Zone, zone.Name, "9.100.51.198." + zone.Zone, DnsOutcome.Found, [answer], null,
            [BlocklistCheck.Read(zone, answer)], null, zone.Lists, zone.RemovalUrl, zone.QueryTerms, zone.RequiresRegistration)).ToJsonString(CheckJson.Options);
    }

    [Fact]
    public void Read_PtrTheGenericDetectorFlagged_IsADynamicSign()
    {
        Assert.True(DynamicIpSigns.Read(ReverseDnsCheck.PtrName, Ptr("embeds the address")));
        Assert.False(DynamicIpSigns.Read(ReverseDnsCheck.PtrName, Ptr()));
    }

    [Theory]
    [InlineData("zen.spamhaus.org", "127.0.0.10", true)]
    [InlineData("zen.spamhaus.org", "127.0.0.11", true)]
    [InlineData("zen.spamhaus.org", "127.0.0.2", false)]
    [InlineData("all.spamrats.com", "127.0.0.36", true)]
    [InlineData("all.spamrats.com", "127.0.0.38", false)]
    public void Read_Listing_IsADynamicSignOnlyForADynamicRangeCode(string zone, string answer, bool dynamic) =>
        Assert.Equal(dynamic, DynamicIpSigns.Read(BlocklistCheck.Prefix + zone, Listing(zone, answer)));

    [Theory]
    [InlineData("ptr", "not json")]
    [InlineData("ptr", "[]")]
    [InlineData("blocklist:unknown.example", """{"readings": [{"answer": "127.0.0.10"}]}""")]
    [InlineData("spf", """{"generic": [{"reasons": ["x"]}]}""")]
    public void Read_WhenTheEvidenceSaysNothingOfIt_IsNoSign(string check, string details) =>
        Assert.False(DynamicIpSigns.Read(check, details));
}
