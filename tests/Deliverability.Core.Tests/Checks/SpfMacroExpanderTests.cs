using System.Net;
using Deliverability.Core.Checks.Spf;

namespace Deliverability.Core.Tests.Checks;

/// <summary>The examples of RFC 7208 section 7.4.</summary>
public class SpfMacroExpanderTests
{
    private static readonly SpfMacroContext V4 = new(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "email.example.com", "mx.example.org", DateTimeOffset.UnixEpoch);
    private static readonly SpfMacroContext V6 = V4 with { Ip = IPAddress.Parse("2001:db8::cb01") };

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%%%_%-", "% %20")]
    [InlineData("%{L}", "strong-bad")]
    [InlineData("%{S}", "strong-bad%40email.example.com")]
    public void Expand_WhenRfcExampleIPv4_GivesRfcResult(string macro, string expected) =>
        Assert.Equal(expected, SpfMacroExpander.Expand(macro, V4));

    [Fact]
    public void Expand_WhenRfcExampleIPv6_GivesNibbles() =>
        Assert.Equal(
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            SpfMacroExpander.Expand("%{ir}.%{v}._spf.%{d2}", V6));

    [Theory]
    [InlineData("%{x}")]
    [InlineData("%{d0}")]
    [InlineData("%{d2r!}")]
    [InlineData("%x")]
    [InlineData("%")]
    [InlineData("%{d")]
    [InlineData("%{c}")]
    public void Validate_WhenMacroInvalid_ReturnsError(string macro) =>
        Assert.NotNull(SpfMacroExpander.Validate(macro, allowExplanationLetters: false));

    [Fact]
    public void Validate_WhenExplanationLetterInExp_IsValid() =>
        Assert.Null(SpfMacroExpander.Validate("%{c} %{r} %{t}", allowExplanationLetters: true));

    [Fact]
    public void ExpandDomain_WhenLongerThan253_DropsLeftLabels()
    {
        var context = V4 with { Sender = new string('a', 60) + "." + new string('b', 60) + "." + new string('c', 60) + "@x.example" };
        var result = SpfMacroExpander.ExpandDomain("%{l}.%{l}.example.com", context);
        Assert.True(result.Length <= 253);
        Assert.EndsWith(".example.com", result, StringComparison.Ordinal);
    }
}
