using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>
/// Phrase families MTAs and receivers write, each placed alone in a diagnostic with a neutral status (5.0.0, no SMTP
/// stage), so that only the lexicon can decide. Texts written here after the wording of Postfix, Sendmail, Exim and
/// the receivers named; <c>deliverability bench lexicon</c> measures the same against Sisimai's whole catalogue.
/// </summary>
public class ReasonLexiconCoverageTests
{
    [Theory]
    [InlineData("552 Message header size exceeds limit", "contenterror")]
    [InlineData("552 Header too big", "contenterror")]
    [InlineData("550 Account disabled temporarily for exceeding receiving limits", "mailboxfull")]
    [InlineData("550 The user has too many messages on the server", "mailboxfull")]
    [InlineData("550 Mailbox unavailable or access denied", "suspend")]
    [InlineData("550 Access denied (sender blacklisted)", "rejected")]
    [InlineData("554 Messages with multiple addresses in To: header are not accepted", "policyviolation")]
    [InlineData("554 mail for example.com loops back to myself", "systemerror")]
    [InlineData("554 aliasing/forwarding loop broken", "systemerror")]
    [InlineData("550 Host unreachable", "networkerror")]
    [InlineData("554 Too many hops, mail forwarding loop", "networkerror")]
    [InlineData("550 Unknown user", "userunknown")]
    [InlineData("552 Message size exceeds fixed maximum message size", "mesgtoobig")]
    [InlineData("550 Too many invalid recipients", "blocked")]
    [InlineData("511 mx.example.com does not like recipient.", "userunknown")]
    [InlineData("503 Send hello first", "syntaxerror")]
    [InlineData("553 Domain missing in source-routed address", "syntaxerror")]
    [InlineData("550 all relevant MX records point to non-existent hosts", "hostunknown")]
    [InlineData("550 delivery to pipe forbidden", "systemerror")]
    public void Classify_WhenOnlyThePhraseSaysWhy_ReadsThePhraseFamily(string diagnostic, string expected) =>
        Assert.Equal(expected, ReasonClassifier.Classify("5.0.0", 550, diagnostic, "failed", null));
}
