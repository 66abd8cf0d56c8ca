using System.Net;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Checks;

/// <summary>Scenarios modelled on the RFC 7208 test suite (pySPF/OpenSPF rfc7208-tests): semantics, limits and errors.</summary>
public class SpfEvaluatorTests
{
    private readonly FakeDnsResolver _dns = new();

    private Task<SpfEvaluation> EvaluateAsync(string ip, string domain = "example.test", string? sender = null) =>
        new SpfEvaluator(_dns, TimeProvider.System).EvaluateAsync(IPAddress.Parse(ip), domain, sender, "mail.example.test", TestContext.Current.CancellationToken);

    [Fact]
    public async Task EvaluateAsync_WhenNoSpfRecord_ReturnsNone()
    {
        _dns.Txt("example.test", "google-site-verification=abc");
        Assert.Equal(SpfResult.None, (await EvaluateAsync("192.0.2.1")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenDomainDoesNotExist_ReturnsNone() =>
        Assert.Equal(SpfResult.None, (await EvaluateAsync("192.0.2.1", "missing.test")).Result);

    [Fact]
    public async Task EvaluateAsync_WhenVersionIsSpf10_IsNotAnSpfRecord()
    {
        _dns.Txt("example.test", "v=spf10 -all");
        Assert.Equal(SpfResult.None, (await EvaluateAsync("192.0.2.1")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenTwoSpfRecords_ReturnsPermError()
    {
        _dns.Txt("example.test", "v=spf1 +all", "v=spf1 -all");
        Assert.Equal(SpfResult.PermError, (await EvaluateAsync("192.0.2.1")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenTopLevelTxtLookupFails_ReturnsTempError()
    {
        _dns.Fail("example.test", DnsRecordKind.Txt);
        Assert.Equal(SpfResult.TempError, (await EvaluateAsync("192.0.2.1")).Result);
    }

    [Theory]
    [InlineData("v=spf1 -all foo")]
    [InlineData("v=spf1 ip4:192.0.2.1/33 -all")]
    [InlineData("v=spf1 ip4:192.0.2.1/024 -all")]
    [InlineData("v=spf1 ip6:2001:db8::/129 -all")]
    [InlineData("v=spf1 ip4:2001:db8::1 -all")]
    [InlineData("v=spf1 include -all")]
    [InlineData("v=spf1 include:example.123 -all")]
    [InlineData("v=spf1 exists:%{x}.example.test -all")]
    [InlineData("v=spf1 a:%{d0}.example.test -all")]
    [InlineData("v=spf1 redirect=a.example.test redirect=b.example.test")]
    [InlineData("v=spf1 exp=a.example.test exp=b.example.test -all")]
    [InlineData("v=spf1 mx//129 -all")]
    [InlineData("v=spf1 ptr/24 -all")]
    [InlineData("v=spf1 all:foo")]
    [InlineData("v=spf1 1foo=bar -all")]
    [InlineData("v=spf1 =bar -all")]
    public async Task EvaluateAsync_WhenRecordHasSyntaxError_ReturnsPermError(string record)
    {
        _dns.Txt("example.test", record);
        var evaluation = await EvaluateAsync("192.0.2.1");
        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Contains("syntax", evaluation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_WhenSyntaxErrorAfterMatchingTerm_StillPermError()
    {
        _dns.Txt("example.test", "v=spf1 +all ip4:999.1.1.1");
        Assert.Equal(SpfResult.PermError, (await EvaluateAsync("192.0.2.1")).Result);
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "192.0.2.77", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "198.51.100.1", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 ~all", "198.51.100.1", SpfResult.SoftFail)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 ?all", "198.51.100.1", SpfResult.Neutral)]
    [InlineData("v=spf1 ip4:192.0.2.0/24", "198.51.100.1", SpfResult.Neutral)]
    [InlineData("v=spf1", "198.51.100.1", SpfResult.Neutral)]
    [InlineData("V=SPF1 IP4:192.0.2.1 -ALL", "192.0.2.1", SpfResult.Pass)]
    [InlineData("v=spf1 -ip4:192.0.2.1 +all", "192.0.2.1", SpfResult.Fail)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", "2001:db8::25", SpfResult.Pass)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", "192.0.2.1", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.2.1 -all", "::ffff:192.0.2.1", SpfResult.Pass)]
    [InlineData("v=spf1 foo=bar ip4:192.0.2.1 -all", "192.0.2.1", SpfResult.Pass)]
    [InlineData("v=spf1  ip4:192.0.2.1   -all  ", "192.0.2.1", SpfResult.Pass)]
    public async Task EvaluateAsync_WhenIpMechanisms_ReturnsQualifierOfFirstMatch(string record, string ip, SpfResult expected)
    {
        _dns.Txt("example.test", record);
        Assert.Equal(expected, (await EvaluateAsync(ip)).Result);
    }

    [Theory]
    [InlineData("v=spf1 a -all", "192.0.2.10", SpfResult.Pass)]
    [InlineData("v=spf1 a -all", "192.0.2.11", SpfResult.Fail)]
    [InlineData("v=spf1 a/24 -all", "192.0.2.11", SpfResult.Pass)]
    [InlineData("v=spf1 a:mail.example.test/24//64 -all", "2001:db8::99", SpfResult.Pass)]
    [InlineData("v=spf1 mx -all", "192.0.2.20", SpfResult.Pass)]
    [InlineData("v=spf1 mx:example.test -all", "192.0.2.21", SpfResult.Fail)]
    [InlineData("v=spf1 mx/30 -all", "192.0.2.21", SpfResult.Pass)]
    public async Task EvaluateAsync_WhenAddressMechanisms_MatchesResolvedAddresses(string record, string ip, SpfResult expected)
    {
        _dns.Txt("example.test", record).A("example.test", "192.0.2.10").Mx("example.test", "mx.example.test")
            .A("mx.example.test", "192.0.2.20").A("mail.example.test", "192.0.2.10").Aaaa("mail.example.test", "2001:db8::1");
        Assert.Equal(expected, (await EvaluateAsync(ip)).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenMoreThanTenMxRecords_ReturnsPermError()
    {
        _dns.Txt("example.test", "v=spf1 mx -all").Mx("example.test", Enumerable.Range(1, 11).Select(i => $"mx{i}.example.test").ToArray());
        Assert.Equal(SpfResult.PermError, (await EvaluateAsync("192.0.2.1")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenIncludePasses_MatchesAndRecordsNestedTrace()
    {
        _dns.Txt("example.test", "v=spf1 include:_spf.example.test -all").Txt("_spf.example.test", "v=spf1 ip4:192.0.2.0/24 -all");
        var evaluation = await EvaluateAsync("192.0.2.5");
        Assert.Equal(SpfResult.Pass, evaluation.Result);
        var include = evaluation.Trace.Terms[0];
        Assert.True(include.Matched);
        Assert.Equal("_spf.example.test", include.Nested!.Domain);
        Assert.Equal(SpfResult.Pass, include.Nested.Result);
        Assert.Equal(1, evaluation.DnsLookups);
    }

    [Fact]
    public async Task EvaluateAsync_WhenIncludeFails_ContinuesToNextTerm()
    {
        _dns.Txt("example.test", "v=spf1 include:_spf.example.test ~all").Txt("_spf.example.test", "v=spf1 -all");
        var evaluation = await EvaluateAsync("192.0.2.5");
        Assert.Equal(SpfResult.SoftFail, evaluation.Result);
        Assert.False(evaluation.Trace.Terms[0].Matched);
    }

    [Fact]
    public async Task EvaluateAsync_WhenIncludeHasNoRecord_ReturnsPermError()
    {
        _dns.Txt("example.test", "v=spf1 include:none.example.test -all").Txt("none.example.test", "not spf");
        Assert.Equal(SpfResult.PermError, (await EvaluateAsync("192.0.2.5")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenIncludeLookupFails_ReturnsTempError()
    {
        _dns.Txt("example.test", "v=spf1 include:down.example.test -all").Fail("down.example.test", DnsRecordKind.Txt);
        Assert.Equal(SpfResult.TempError, (await EvaluateAsync("192.0.2.5")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenIncludeHasSyntaxError_ReturnsPermError()
    {
        _dns.Txt("example.test", "v=spf1 include:bad.example.test +all").Txt("bad.example.test", "v=spf1 ip4:300.1.1.1 -all");
        Assert.Equal(SpfResult.PermError, (await EvaluateAsync("192.0.2.5")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenARecordLookupFails_ReturnsTempError()
    {
        _dns.Txt("example.test", "v=spf1 a:down.example.test -all").Fail("down.example.test", DnsRecordKind.A, "SERVFAIL");
        Assert.Equal(SpfResult.TempError, (await EvaluateAsync("192.0.2.5")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenRedirect_ResultIsTargetsResult()
    {
        _dns.Txt("example.test", "v=spf1 redirect=_spf.example.test").Txt("_spf.example.test", "v=spf1 ip4:192.0.2.0/24 -all");
        Assert.Equal(SpfResult.Pass, (await EvaluateAsync("192.0.2.9")).Result);
        Assert.Equal(SpfResult.Fail, (await EvaluateAsync("198.51.100.9")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenRedirectTargetHasNoRecord_ReturnsPermError()
    {
        _dns.Txt("example.test", "v=spf1 redirect=none.example.test");
        Assert.Equal(SpfResult.PermError, (await EvaluateAsync("192.0.2.9")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenAllBeforeRedirect_RedirectIgnored()
    {
        _dns.Txt("example.test", "v=spf1 -all redirect=_spf.example.test").Txt("_spf.example.test", "v=spf1 +all");
        Assert.Equal(SpfResult.Fail, (await EvaluateAsync("192.0.2.9")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenRedirectUsesMacro_ExpandsWithCurrentDomain()
    {
        _dns.Txt("example.test", "v=spf1 redirect=%{d}.policy.test").Txt("example.test.policy.test", "v=spf1 ip4:192.0.2.9 -all");
        Assert.Equal(SpfResult.Pass, (await EvaluateAsync("192.0.2.9")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenTenLookups_IsWithinLimit()
    {
        // 9 nested includes + 1 a: = 10 lookups.
        _dns.Txt("example.test", "v=spf1 include:i1.example.test -all");
        for (var i = 1; i < 9; i++) _dns.Txt($"i{i}.example.test", $"v=spf1 include:i{i + 1}.example.test");
        _dns.Txt("i9.example.test", "v=spf1 a:host.example.test").A("host.example.test", "192.0.2.1");
        var evaluation = await EvaluateAsync("192.0.2.1");
        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal(10, evaluation.DnsLookups);
    }

    [Fact]
    public async Task EvaluateAsync_WhenElevenLookups_ReturnsPermError()
    {
        _dns.Txt("example.test", "v=spf1 include:i1.example.test -all");
        for (var i = 1; i < 10; i++) _dns.Txt($"i{i}.example.test", $"v=spf1 include:i{i + 1}.example.test");
        _dns.Txt("i10.example.test", "v=spf1 a:host.example.test").A("host.example.test", "192.0.2.1");
        var evaluation = await EvaluateAsync("192.0.2.1");
        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Contains("more than 10 DNS lookups", evaluation.Reason, StringComparison.Ordinal);
        Assert.Equal(11, evaluation.DnsLookups);
    }

    [Fact]
    public async Task EvaluateAsync_WhenIpTermsAfterManyLookups_DoNotCount()
    {
        var terms = string.Join(' ', Enumerable.Range(1, 10).Select(i => $"a:h{i}.example.test"));
        _dns.Txt("example.test", $"v=spf1 {terms} ip4:192.0.2.1 ip4:192.0.2.2 -all");
        for (var i = 1; i <= 10; i++) _dns.A($"h{i}.example.test", "198.51.100.1");
        Assert.Equal(SpfResult.Pass, (await EvaluateAsync("192.0.2.2")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenThreeVoidLookups_ReturnsPermError()
    {
        _dns.Txt("example.test", "v=spf1 a:v1.example.test a:v2.example.test a:v3.example.test -all");
        var evaluation = await EvaluateAsync("192.0.2.1");
        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Equal(3, evaluation.VoidLookups);
    }

    [Fact]
    public async Task EvaluateAsync_WhenTwoVoidLookups_IsAllowed()
    {
        _dns.Txt("example.test", "v=spf1 a:v1.example.test mx:v2.example.test -all");
        var evaluation = await EvaluateAsync("192.0.2.1");
        Assert.Equal(SpfResult.Fail, evaluation.Result);
        Assert.Equal(2, evaluation.VoidLookups);
    }

    [Fact]
    public async Task EvaluateAsync_WhenExistsWithIpMacro_MatchesListedAddress()
    {
        _dns.Txt("example.test", "v=spf1 exists:%{ir}.%{l1r-}.allow.example.test -all")
            .A("1.2.0.192.postmaster.allow.example.test", "127.0.0.2");
        Assert.Equal(SpfResult.Pass, (await EvaluateAsync("192.0.2.1")).Result);
        Assert.Equal(SpfResult.Fail, (await EvaluateAsync("192.0.2.2")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenExistsUsesSenderLocalPart_UsesSender()
    {
        _dns.Txt("example.test", "v=spf1 exists:%{l}.users.example.test -all").A("alice.users.example.test", "127.0.0.2");
        Assert.Equal(SpfResult.Pass, (await EvaluateAsync("192.0.2.1", sender: "alice@example.test")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenPtrValidatesToDomain_Passes()
    {
        _dns.Txt("example.test", "v=spf1 ptr -all").Ptr("1.2.0.192.in-addr.arpa", "mail.example.test").A("mail.example.test", "192.0.2.1")
            .Ptr("2.2.0.192.in-addr.arpa", "mail.example.test");
        Assert.Equal(SpfResult.Pass, (await EvaluateAsync("192.0.2.1")).Result);
        Assert.Equal(SpfResult.Fail, (await EvaluateAsync("192.0.2.2")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenPtrLookupFails_DoesNotMatch()
    {
        _dns.Txt("example.test", "v=spf1 ptr ~all").Fail("1.2.0.192.in-addr.arpa", DnsRecordKind.Ptr);
        Assert.Equal(SpfResult.SoftFail, (await EvaluateAsync("192.0.2.1")).Result);
    }

    [Fact]
    public async Task EvaluateAsync_WhenFailWithExp_ExpandsExplanation()
    {
        _dns.Txt("example.test", "v=spf1 -all exp=why.example.test").Txt("why.example.test", "%{i} is not one of %{d}'s servers");
        var evaluation = await EvaluateAsync("192.0.2.1");
        Assert.Equal(SpfResult.Fail, evaluation.Result);
        Assert.Equal("192.0.2.1 is not one of example.test's servers", evaluation.Explanation);
    }

    [Fact]
    public async Task EvaluateAsync_WhenDomainIsSingleLabel_ReturnsNone() =>
        Assert.Equal(SpfResult.None, (await EvaluateAsync("192.0.2.1", "localhost")).Result);
}
