using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>One small self-written bounce per receiver family: who rejected, with which code, and why.</summary>
public class ReceiverBounceTests
{
    [Theory]
    [InlineData("receiver-cox-cxcnct.eml", "cox", "CXCNCT", "toomanyconn", 421)]
    [InlineData("receiver-mimecast-security.eml", "mimecast", null, "virusdetected", 554)]
    [InlineData("receiver-qq-frequency.eml", "qq", null, "toomanyconn", 550)]
    [InlineData("receiver-docomo-reception.eml", "docomo", null, "rejected", 550)]
    [InlineData("receiver-orange-banner.eml", "orange", "OFR006_107", "blocked", 421)]
    [InlineData("receiver-m365-tenant.eml", "microsoft365", null, "userunknown", 550)]
    [InlineData("receiver-gmx-blocklisted.eml", "gmx", null, "blocked", 554)]
    [InlineData("receiver-facebook-rcp.eml", "facebook", "RCP-P1", "userunknown", 550)]
    [InlineData("receiver-godaddy-ib.eml", "godaddy", "IB113", "blocked", 554)]
    [InlineData("receiver-tonline-dial.eml", "t-online", "DIAL", "blocked", 554)]
    [InlineData("receiver-comcast-bl.eml", "comcast", "BL000001", "blocked", 554)]
    // Exchange Online Protection's front end names itself in brackets (*.eop-*.prod.protection.outlook.com).
    [InlineData("receiver-m365-eop-edge.eml", "microsoft365", null, "rejected", 550)]
    // Google refused for itself (no remote server quoted) a domain it hosts: Workspace.
    [InlineData("receiver-google-workspace-own.eml", "google-workspace", null, "userunknown", null)]
    public void Parse_WhenAReceiverRejects_NamesTheReceiverItsCodeAndTheReason(string fixture, string provider, string? code, string reason, int? reply)
    {
        var result = Fixtures.Single(fixture);

        Assert.Equal(provider, result.Provider);
        Assert.Equal(code, result.ProviderCode);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(reply, result.ReplyCode);
        Assert.Equal(BounceKind.Bounce, result.Kind);
    }

    [Fact]
    public void Parse_WhenAusBounceStatesTheAccountsStateAboveTheReply_ThatStateIsTheReason()
    {
        // au writes one headline for every recipient listed under it, then the bare "550 user unknown" it got.
        var result = Fixtures.Single("receiver-au-headline.eml");

        Assert.Equal("au", result.Provider);
        Assert.Equal("mailboxfull", result.Reason);
        Assert.False(result.HardBounce);
    }

    [Fact]
    public void Parse_WhenTheRecipientsDomainDidNotResolve_NoProviderRefusedIt()
    {
        var result = Fixtures.Single("receiver-google-dns-error.eml");

        Assert.Null(result.Provider);
        Assert.Equal("hostunknown", result.Reason);
    }

    [Fact]
    public void Parse_WhenTheDsnSaysDelivered_ReportsADeliveryNotABounce() =>
        Assert.Equal((BounceKind.Delivered, "delivered", false), Fixtures.Single("dsn-delivered.eml") is var r ? (r.Kind, r.Reason, r.HardBounce) : default);

    [Fact]
    public void Parse_WhenAChallengeResponseSystemAsksToVerifyTheSender_SaysItIsNotABounce()
    {
        var parsed = Fixtures.Parse("challenge-boxbe.eml");

        Assert.Equal(MessageKind.NotABounce, parsed.Kind);
        Assert.Empty(parsed.Recipients);
        Assert.Contains("challenge-response", parsed.Error, StringComparison.Ordinal);
    }
}
