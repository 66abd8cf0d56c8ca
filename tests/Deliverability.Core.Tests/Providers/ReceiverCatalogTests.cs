using Deliverability.Core.Providers;

namespace Deliverability.Core.Tests.Providers;

public class ReceiverCatalogTests
{
    [Fact]
    public void All_WhenListed_HasAtLeastThirtyReceiversWithUniqueKeysAndASource()
    {
        Assert.True(ReceiverCatalog.All.Length >= 30);
        Assert.Equal(ReceiverCatalog.All.Length, ReceiverCatalog.All.Select(r => r.Key).Distinct().Count());
        Assert.All(ReceiverCatalog.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Source));
            Assert.True(r.HostSuffixes.Length + r.Domains.Length + r.TextMarkers.Length > 0, $"{r.Key} cannot be recognised");
        });
        Assert.Contains(ReceiverCatalog.All, r => r.Kind == ReceiverKind.SecurityGateway && r.Key == "mimecast");
    }

    [Fact]
    public void WayOut_WhenAskedForEveryReceiver_SaysWhereToGoOrThatNoRouteIsPublished() =>
        Assert.All(ReceiverCatalog.All, r => Assert.False(string.IsNullOrWhiteSpace(ReceiverWayOut.For(r.Key)), $"{r.Key} has no way out"));

    [Fact]
    public void All_WhenListed_KnowsWhatMostReceiversSay()
    {
        // A receiver is useful when the parser knows its texts or its codes, not only its name.
        var withKnowledge = ReceiverCatalog.All.Count(r => r.Phrases.Length > 0 || r.NoticeHeadlines is not null ||
            ProviderCodeCatalog.All.Any(c => c.Provider == r.Key));

        Assert.True(withKnowledge >= 30, $"{withKnowledge} receivers with texts or codes");
    }

    [Theory]
    [InlineData("someone@example.org", "mx1.cox.net", "", "cox")]
    [InlineData("someone@example.org", "eu-smtp-inbound-1.mimecast.com", "", "mimecast")]
    [InlineData("someone@example.org", "mx0a-00123.pphosted.com", "", "proofpoint")]
    [InlineData("someone@example.org", "example-org.mail.iphmx.com", "", "cisco")]
    [InlineData("someone@example.org", "", "554-gmx.net (mxgmx104) nemesis esmtp service not available", "gmx")]
    [InlineData("someone@qq.com", "", "", "qq")]
    [InlineData("someone@docomo.ne.jp", "", "", "docomo")]
    [InlineData("someone@orange.fr", "", "", "orange")]
    public void Recognise_WhenHostTextOrDomainBelongsToAReceiver_ReturnsIt(string recipient, string remote, string text, string key)
    {
        var domain = recipient[(recipient.IndexOf('@') + 1)..];

        Assert.Equal(key, ReceiverCatalog.Recognise(domain, remote, text)?.Key);
    }

    [Theory]
    [InlineData("someone@example.org", "mx.notcox.net", "")]
    [InlineData("someone@example.org", "mx.example.org", "554 blocked using b.barracudacentral.org")]
    public void Recognise_WhenNameOnlyLooksAlike_ReturnsNothing(string recipient, string remote, string text) =>
        Assert.Null(ReceiverCatalog.Recognise(recipient[(recipient.IndexOf('@') + 1)..], remote, text));

    [Theory]
    [InlineData("mimecast", "554 email rejected due to security policies - https://community.mimecast.com/docs", 554, null, null, "virusdetected")]
    [InlineData("qq", "550 mailbox unavailable or access denied", 550, null, null, "toomanyconn")]
    [InlineData("docomo", "550 unknown user someone@docomo.ne.jp", 550, "DATA", "5.0.0", "rejected")]
    [InlineData("au", "550 : user unknown", 550, null, null, "filtered")]
    [InlineData("gmail", "550 5.2.1 the email account that you tried to reach is disabled", 550, null, "5.2.1", "suspend")]
    [InlineData("microsoft365", "550 5.4.1 recipient address rejected: access denied", 550, "RCPT", "5.4.1", "userunknown")]
    public void ReasonFor_WhenReceiverWritesItsDocumentedText_ReturnsItsReason(string key, string text, int reply, string? command, string? status, string reason) =>
        Assert.Equal(reason, ReceiverCatalog.ReasonFor(key, text, reply, command, status));

    [Fact]
    public void ReasonFor_WhenAPreciseStatusIsGiven_LetsTheStatusDecide() =>
        Assert.Null(ReceiverCatalog.ReasonFor("docomo", "550 unknown user someone@docomo.ne.jp", 550, "DATA", "5.2.0"));
}

public class ProviderNamesTests
{
    [Theory]
    [InlineData("microsoft365", "Microsoft 365")]
    [InlineData("qq", "Tencent QQ Mail")]
    [InlineData("mimecast", "Mimecast")]
    [InlineData("yahoo", "Yahoo")]
    [InlineData(null, "an unknown provider")]
    [InlineData("newmail.example", "newmail.example")]
    public void Display_WhenKeyGiven_ShowsTheReceiversName(string? key, string name) =>
        Assert.Equal(name, ProviderNames.Display(key));
}
