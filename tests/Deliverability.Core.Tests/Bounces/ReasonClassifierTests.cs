using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

public class ReasonClassifierTests
{
    [Theory]
    [InlineData("5.1.1", 550, "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown", "userunknown")]
    [InlineData("5.2.2", 552, "552 5.2.2 Mailbox full", "mailboxfull")]
    [InlineData("5.7.1", 554, "554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org", "blocked")]
    [InlineData("5.7.25", 550, "550 5.7.25 The IP address sending this message does not have a PTR record setup", "requireptr")]
    [InlineData("5.7.26", 550, "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy", "authfailure")]
    [InlineData("4.7.0", 421, "421 4.7.0 Too many concurrent SMTP connections from this IP", "toomanyconn")]
    [InlineData("5.3.4", 552, "552 5.3.4 Message size exceeds fixed limit", "mesgtoobig")]
    [InlineData("5.7.1", 554, "554 5.7.1 Relay access denied", "norelaying")]
    [InlineData("5.1.8", 553, "553 5.1.8 Sender address rejected: Domain not found", "rejected")]
    [InlineData("5.7.1", 550, "550 5.7.1 Message rejected as spam by Content Filtering", "spamdetected")]
    [InlineData("4.4.7", null, "retry timeout exceeded", "expired")]
    public void Classify_WhenDiagnosticNamesTheCause_ReturnsReason(string status, int? reply, string diagnostic, string expected) =>
        Assert.Equal(expected, ReasonClassifier.Classify(status, reply, diagnostic, "failed", null));

    [Fact]
    public void Classify_WhenOnlyStatusKnown_FallsBackOnStatus() =>
        Assert.Equal("hostunknown", ReasonClassifier.Classify("5.1.2", null, null, "failed", null));

    [Fact]
    public void Classify_WhenRefusedAtMailFrom_BlamesTheSender() =>
        Assert.Equal("rejected", ReasonClassifier.Classify(null, 550, "550 Unrouteable address", "failed", "MAIL"));

    [Fact]
    public void Classify_WhenUserUnknownAfterData_CallsItFiltered() =>
        Assert.Equal("filtered", ReasonClassifier.Classify("5.0.0", 550, "550 Unknown user", "failed", "DATA"));

    [Fact]
    public void Classify_WhenTemporaryConnectionFailureEndsInBounce_CallsItExpired() =>
        Assert.Equal("expired", ReasonClassifier.Classify("4.4.1", null, "connect to mx.example.org[198.51.100.1]:25: Connection timed out", "failed", null));

    [Fact]
    public void Classify_WhenDelivered_ReturnsDelivered() =>
        Assert.Equal("delivered", ReasonClassifier.Classify("2.0.0", 250, "250 2.0.0 OK", "delivered", null));

    [Theory]
    [InlineData("userunknown", true)]
    [InlineData("hostunknown", true)]
    [InlineData("blocked", false)]
    [InlineData("mailboxfull", false)]
    public void IsHardBounce_WhenReasonGiven_TellsWhetherRetryingCanHelp(string reason, bool hard) =>
        Assert.Equal(hard, ReasonClassifier.IsHardBounce(reason));

    [Fact]
    public void Classify_WhenGatewayQuotesTheRemoteReply_ClassifiesTheRemoteWords() =>
        Assert.Equal("mailboxfull", ReasonClassifier.Classify(
            "5.2.2", 550, "5.1.0 - Unknown address error 550-'5.2.2 <a@example.org>... Mailbox Full' (delivery attempts: 0)", "failed", null));

    [Fact]
    public void Classify_WhenRemoteSaysADomainDoesNotExist_CallsItHostUnknown() =>
        Assert.Equal("hostunknown", ReasonClassifier.Classify(null, 553, "553 mail.example.org does not exist", "failed", null));

    [Fact]
    public void Classify_WhenTemporaryDnsFailure_CallsItNetworkError() =>
        Assert.Equal("networkerror", ReasonClassifier.Classify("4.4.3", null, "Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again", "delayed", null));

    [Theory]
    // "User unknown" with no address status and no visible stage is a missing mailbox, not a filter.
    [InlineData("5.0.0", 550, "550 Unknown user", null, "userunknown")]
    [InlineData(null, 550, "550 <a@example.org>... No such user here", null, "userunknown")]
    // Exchange Online directory-based edge blocking.
    [InlineData("5.4.1", 550, "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "RCPT", "userunknown")]
    // X.2.0: the mailbox exists but refused this message (RFC 3463).
    [InlineData("5.2.0", 550, "550 5.2.0 Message refused", null, "filtered")]
    public void Classify_WhenTheRecipientSideRefuses_TellsMissingMailboxFromFilter(string? status, int reply, string text, string? command, string reason) =>
        Assert.Equal(reason, ReasonClassifier.Classify(status, reply, text, "failed", command));

    [Theory]
    [InlineData("5.4.7", null, "delivery temporarily suspended: message could not be delivered for 5 days")]
    [InlineData("4.4.7", null, "Message expired: your message could not be delivered for more than 48 hours")]
    [InlineData("5.0.0", null, "Delivery to the following recipient failed: maximal queue lifetime exceeded; the retry period ran out")]
    [InlineData(null, null, "Retry time not reached for any host after a long failure period")]
    [InlineData(null, null, "I'm not going to try again; this message has been in the queue too long.")]
    public void Classify_WhenTheRetryPeriodRanOut_CallsItExpired(string? status, int? reply, string text) =>
        Assert.Equal("expired", ReasonClassifier.Classify(status, reply, text, "failed", null));

    [Theory]
    [InlineData("4.7.0", 421, "421 4.7.0 Too many concurrent SMTP sessions from this host", "toomanyconn")]
    [InlineData("4.5.3", 452, "452 4.5.3 Too many recipients", "toomanyconn")]
    [InlineData("4.7.0", 421, "421 4.7.0 Connection rate limit exceeded for 198.51.100.7", "toomanyconn")]
    [InlineData("4.7.1", 450, "450 4.7.1 Message rate limit exceeded, slow down", "speeding")]
    public void Classify_WhenALimitIsHit_TellsConnectionLimitsFromRateLimits(string status, int reply, string text, string reason) =>
        Assert.Equal(reason, ReasonClassifier.Classify(status, reply, text, "failed", null));

    [Theory]
    [InlineData("4.3.0", 451, "451 4.3.0 Temporary local problem - please try later", "delayed", "systemerror")]
    [InlineData("5.3.5", 554, "554 5.3.5 Local configuration error", "failed", "systemerror")]
    [InlineData("5.5.2", 501, "501 5.5.2 Syntax error in parameters or arguments", "failed", "syntaxerror")]
    [InlineData(null, 502, "502 Command not implemented", "failed", "syntaxerror")]
    [InlineData("5.0.0", 550, "550 Requested action not taken", "failed", "onhold")]
    public void Classify_WhenTheTextSaysWhatFailed_TellsOnholdSystemAndSyntaxErrorsApart(string? status, int reply, string text, string action, string reason) =>
        Assert.Equal(reason, ReasonClassifier.Classify(status, reply, text, action, null));

    [Fact]
    public void Classify_WhenTheReceiverIsKnown_ReadsItsOwnWordsFirst() =>
        Assert.Equal("virusdetected", ReasonClassifier.Classify("5.0.0", 554, "554 Email rejected due to security policies", "failed", null, "mimecast"));

    [Fact]
    public void Classify_WhenGmailClosesTheConnectionAtTheGreeting_CallsItBlocked() =>
        Assert.Equal("blocked", ReasonClassifier.Classify("4.7.0", 421, "421 4.7.0 Try again later, closing connection. (EHLO)", "delayed", null, "gmail"));

    [Fact]
    public void Classify_WhenEximWarnsThatDeliveryWillBeRetried_CallsItExpired() =>
        Assert.Equal("expired", ReasonClassifier.Classify(null, null, "No action is required on your part. Delivery attempts will continue for some time", "delayed", null));

    [Theory]
    [InlineData("550 Mailbox maria.lopez@example.net unavailable", "userunknown")]
    [InlineData("550 Recipient <maria.lopez@example.net> not OK", "userunknown")]
    public void Classify_WhenTheAddressStandsInsideThePhrase_ReadsThePhraseAroundIt(string text, string reason) =>
        Assert.Equal(reason, ReasonClassifier.Classify("5.0.0", 550, text, "failed", null));

    [Fact]
    public void Lexicon_WhenListed_GivesEveryEntryASource() =>
        Assert.All(ReasonLexicon.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Source)));
}
