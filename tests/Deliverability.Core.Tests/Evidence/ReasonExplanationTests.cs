using Deliverability.Core.Bounces;
using Deliverability.Core.Evidence;

namespace Deliverability.Core.Tests.Evidence;

/// <summary>"Why this reason": the first rule table that gives the stored reason is the one marked as deciding.</summary>
public class ReasonExplanationTests
{
    [Fact]
    public void AStatusCodeAlone_IsNamedAsTheDecision()
    {
        var steps = ReasonExplanation.Explain(BounceReasons.UserUnknown, null, "5.1.1", 550, null, null);
        var decided = Assert.Single(steps, s => s.Decided);
        Assert.Equal("Enhanced status code", decided.Step);
        Assert.Contains("5.1.1 means userunknown", decided.Finding, StringComparison.Ordinal);
        Assert.Contains(steps, s => s.Step == "Phrase in the reply" && s.Finding == "the row holds no reply text");
    }

    [Fact]
    public void APhrase_NamesTheMatchedTextAndItsSource()
    {
        var text = "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table";
        var steps = ReasonExplanation.Explain(BounceReasons.UserUnknown, null, "5.1.1", 550, text, null);
        var phrase = Assert.Single(steps, s => s.Step == "Phrase in the reply");
        Assert.Equal(BounceReasons.UserUnknown, phrase.Reason);
        Assert.True(phrase.Decided);
        Assert.Matches("^\".+\" \\(source: .+\\)$", phrase.Finding);
        Assert.Contains(phrase.Finding.Split('"')[1], text.ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public void AReasonNoTableGives_IsLeftToTheStageOrExpiryRules_NotGuessed()
    {
        var steps = ReasonExplanation.Explain(BounceReasons.Expired, null, null, null, null, null);
        var decided = Assert.Single(steps, s => s.Decided);
        Assert.Equal("Stage and expiry", decided.Step);
        Assert.All(steps.Where(s => !s.Decided), s => Assert.Null(s.Reason));
    }
}
