using Deliverability.Core.Bounces;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Tests.Providers;

public class ProviderCodeCatalogTests
{
    [Theory]
    [InlineData("outlook.com", "S3150", DelistingRoute.OutlookSenderSupport, false)]
    [InlineData("outlook.com", "RP-001", DelistingRoute.FixAndRetry, true)]
    [InlineData("outlook.com", "DY-001", DelistingRoute.Spamhaus, false)]
    [InlineData("microsoft365", "5.7.623", DelistingRoute.Microsoft365DelistPortal, false)]
    [InlineData("microsoft365", "5.7.511", DelistingRoute.Microsoft365DelistEmail, false)]
    [InlineData("yahoo", "tss04", DelistingRoute.YahooSenderSupport, true)]
    [InlineData("orange", "LPN007_416", DelistingRoute.FixAndRetry, false)]
    [InlineData("spectrum", "AUP#IN-1310", DelistingRoute.FixAndRetry, true)]
    [InlineData("spectrum", "AUP#O-1225", DelistingRoute.Spamhaus, false)]
    [InlineData("cox", "CXCNCT", DelistingRoute.FixAndRetry, true)]
    [InlineData("cox", "IPBL0001", DelistingRoute.Spamhaus, false)]
    [InlineData("comcast", "BL000001", DelistingRoute.Spamhaus, false)]
    [InlineData("godaddy", "IB112", DelistingRoute.FixAndRetry, false)]
    [InlineData("facebook", "RCP-P1", DelistingRoute.FixAndRetry, false)]
    [InlineData("t-online", "DIAL", DelistingRoute.FixAndRetry, false)]
    [InlineData("orange", "OFR006_103", DelistingRoute.OrangePostmaster, false)]
    [InlineData("orange", "OFR_999", DelistingRoute.OrangePostmaster, true)]
    [InlineData("netease", "DT:SPM", DelistingRoute.FixAndRetry, false)]
    [InlineData("netease", "MI:STC", DelistingRoute.FixAndRetry, true)]
    public void Find_WhenCodeKnown_ReturnsRouteAndPermanence(string provider, string code, DelistingRoute route, bool temporary)
    {
        var entry = ProviderCodeCatalog.Find(provider, code);

        Assert.NotNull(entry);
        Assert.Equal(route, entry.Route);
        Assert.Equal(temporary, entry.Temporary);
    }

    [Theory]
    [InlineData("outlook.com", "S9999")]
    [InlineData("microsoft365", "5.7.650")]
    [InlineData("gmail", "S3150")]
    [InlineData(null, "S3150")]
    public void Find_WhenCodeUnknownForProvider_ReturnsNull(string? provider, string code) =>
        Assert.Null(ProviderCodeCatalog.Find(provider, code));

    [Fact]
    public void All_WhenListed_HasUniqueKeysMeaningsAndSisimaiReasons()
    {
        Assert.Equal(ProviderCodeCatalog.All.Count, ProviderCodeCatalog.All.Select(c => (c.Provider, c.Code.ToUpperInvariant())).Distinct().Count());
        Assert.All(ProviderCodeCatalog.All, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Meaning));
            Assert.True(BounceReasons.IsKnown(c.Reason), $"{c.Code}: {c.Reason} is not a reason name");
            Assert.True(c.Route is DelistingRoute.FixAndRetry or DelistingRoute.ContactRecipient || c.RouteUrl is not null, $"{c.Code} has a route without an address");
        });
    }

    [Fact]
    public void All_WhenSeedCodesChecked_CoversTheIssueList()
    {
        string[] outlook = ["RP-001", "RP-002", "RP-003", "SC-001", "SC-002", "SC-003", "SC-004", "DY-001", "DY-002", "OU-001", "OU-002",
            "S3140", "S3150", "5.7.515", "4.7.650", "4.7.651", "4.7.652"];

        Assert.All(outlook, code => Assert.NotNull(ProviderCodeCatalog.Find("outlook.com", code)));
        Assert.NotNull(ProviderCodeCatalog.Find("microsoft365", "5.7.606"));
        Assert.NotNull(ProviderCodeCatalog.Find("microsoft365", "5.7.649"));
    }
}
