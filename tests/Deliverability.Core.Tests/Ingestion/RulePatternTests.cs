using Deliverability.Core.Ingestion;

namespace Deliverability.Core.Tests.Ingestion;

public class RulePatternTests
{
    [Theory]
    [InlineData(SendingIpRuleKind.ReportingMta, " MX1.Example.COM. ", "mx1.example.com")]
    [InlineData(SendingIpRuleKind.ReportingMta, "*.example.com", "*.example.com")]
    [InlineData(SendingIpRuleKind.SenderDomain, "News.Example.com", "news.example.com")]
    public void TryNormalise_WhenHostNameIsValid_LowerCasesAndTrims(SendingIpRuleKind kind, string input, string expected)
    {
        Assert.True(RulePattern.TryNormalise(kind, input, null, out var pattern, out var instance, out var error));
        Assert.Equal(expected, pattern);
        Assert.Null(instance);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a host!")]
    [InlineData("mx1.*.example.com")]
    [InlineData("-bad.example.com")]
    [InlineData("user@example.com")]
    public void TryNormalise_WhenPatternIsNotAHostName_SaysWhatToFix(string input)
    {
        Assert.False(RulePattern.TryNormalise(SendingIpRuleKind.ReportingMta, input, null, out _, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryNormalise_WhenSenderDomainHasAWildcard_SaysSubdomainsAreCovered()
    {
        Assert.False(RulePattern.TryNormalise(SendingIpRuleKind.SenderDomain, "*.example.com", null, out _, out _, out var error));
        Assert.Contains("subdomains", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalise_KeepsTheInstanceOnlyForLogHostRules()
    {
        Assert.True(RulePattern.TryNormalise(SendingIpRuleKind.LogHost, "mx1.example.com", " postfix-out/smtp ", out _, out var logInstance, out _));
        Assert.Equal("postfix-out/smtp", logInstance);
        Assert.True(RulePattern.TryNormalise(SendingIpRuleKind.ReportingMta, "mx1.example.com", "postfix-out", out _, out var mtaInstance, out _));
        Assert.Null(mtaInstance);
        Assert.False(RulePattern.TryNormalise(SendingIpRuleKind.LogHost, "mx1.example.com", "post fix", out _, out _, out _));
    }
}
