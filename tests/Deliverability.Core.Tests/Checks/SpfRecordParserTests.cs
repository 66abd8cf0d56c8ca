using Deliverability.Core.Checks.Spf;

namespace Deliverability.Core.Tests.Checks;

public class SpfRecordParserTests
{
    [Fact]
    public void Parse_WhenDualCidr_ReadsBothLengths()
    {
        var record = SpfRecordParser.Parse("v=spf1 a:mail.example.test/24//64 mx//48 a/28 -all").Record!;
        Assert.Equal((24, 64), (record.Directives[0].Cidr4, record.Directives[0].Cidr6));
        Assert.Equal("mail.example.test", record.Directives[0].DomainSpec);
        Assert.Equal((null, 48), (record.Directives[1].Cidr4, record.Directives[1].Cidr6));
        Assert.Equal((28, (int?)null), (record.Directives[2].Cidr4, record.Directives[2].Cidr6));
    }

    [Fact]
    public void Parse_WhenQualifiersAndModifiers_KeepsThemApart()
    {
        var record = SpfRecordParser.Parse("v=spf1 ~include:_spf.example.test ?exists:%{i}.x.example.test redirect=_r.example.test exp=_e.example.test foo=bar").Record!;
        Assert.Equal(['~', '?'], record.Directives.Select(d => d.Qualifier));
        Assert.Equal("_r.example.test", record.Redirect!.DomainSpec);
        Assert.Equal("_e.example.test", record.Explanation!.DomainSpec);
        Assert.Equal("foo", Assert.Single(record.UnknownModifiers).Name);
    }

    [Theory]
    [InlineData("include:x.example.test", true)]
    [InlineData("a", true)]
    [InlineData("mx:x.example.test", true)]
    [InlineData("ptr", true)]
    [InlineData("exists:x.example.test", true)]
    [InlineData("ip4:192.0.2.1", false)]
    [InlineData("ip6:2001:db8::1", false)]
    [InlineData("all", false)]
    public void CountsAsLookup_WhenMechanism_FollowsRfc7208Section4_6_4(string term, bool expected) =>
        Assert.Equal(expected, SpfRecordParser.Parse($"v=spf1 {term}").Record!.Directives[0].CountsAsLookup);

    [Theory]
    [InlineData("v=spf1 a:example.test:8080")]
    [InlineData("v=spf1 ip4:192.0.2")]
    [InlineData("v=spf1 ip6:::1%eth0")]
    [InlineData("v=spf1 exists")]
    [InlineData("v=spf1 -")]
    [InlineData("v=spf1 include:-bad.example.-")]
    public void Parse_WhenSyntaxError_ReturnsError(string text) => Assert.False(SpfRecordParser.Parse(text).IsValid);

    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("v=spf1 -all", true)]
    [InlineData("V=SPF1 -all", true)]
    [InlineData("v=spf1-all", false)]
    [InlineData("v=spf2.0/pra -all", false)]
    [InlineData(" v=spf1 -all", false)]
    public void IsSpfRecord_WhenText_RecognisesVersion(string text, bool expected) => Assert.Equal(expected, SpfRecordParser.IsSpfRecord(text));
}
