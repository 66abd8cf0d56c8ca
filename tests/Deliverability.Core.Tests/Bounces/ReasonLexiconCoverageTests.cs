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
    [InlineData("450 4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend later", "speeding")]
    [InlineData("550 5.4.5 Daily SMTP relay limit exceeded for user", "speeding")]
    [InlineData("451 4.3.1 Insufficient system resources", "systemfull")]
    [InlineData("550 Requested action not taken: mailbox unavailable (not enough free space)", "systemfull")]
    [InlineData("550 5.1.4 Destination mailbox address ambiguous", "systemerror")]
    [InlineData("550 Several matches found in Domino Directory for this name", "systemerror")]
    [InlineData("550 Utilisateur Marie non répertorié dans l'annuaire Domino", "userunknown")]
    [InlineData("451 4.5.0 SMTP protocol violation, see RFC 2821", "syntaxerror")]
    [InlineData("503 5.5.1 Error: need RCPT command", "syntaxerror")]
    [InlineData("554 5.2.1 Mailbox cannot be accessed", "suspend")]
    [InlineData("534 5.7.9 Application-specific password required", "securityerror")]
    [InlineData("550 DNS Error: DNS server returned answer with no data for example.net", "hostunknown")]
    [InlineData("550 Address family mismatch on destination MXs", "networkerror")]
    [InlineData("550 Sorry. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file", "networkerror")]
    [InlineData("432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded", "toomanyconn")]
    [InlineData("550 Destination seem to reject all mails", "notaccept")]
    [InlineData("421 Service not available, closing transmission channel", "blocked")]
    [InlineData("550 5.7.1 Rejecting open proxy 198.51.100.9", "blocked")]
    [InlineData("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", "blocked")]
    [InlineData("553 sorry, this recipient is not in my validrcptto list (#5.7.1)", "userunknown")]
    [InlineData("550 No mail box available for this user", "userunknown")]
    [InlineData("550 nessun utente simile in questo indirizzo", "userunknown")]
    [InlineData("550 This message scored 14.2 spam points", "spamdetected")]
    [InlineData("554 Blacklisted URL in message body", "spamdetected")]
    [InlineData("535 5.7.8 Authentication credentials invalid", "securityerror")]
    [InlineData("Warning: could not send message for past 4 hours", "expired")]
    [InlineData("The server has tried to deliver this message, without success, and has stopped trying", "expired")]
    [InlineData("550 command failed: /usr/local/bin/autoresponder exited 1", "mailererror")]
    [InlineData("550 Can't create user output file", "systemerror")]
    [InlineData("550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; the sender was not authenticated when sending to this group", "rejected")]
    [InlineData("550 5.7.124 Sender not in allowed-senders list", "rejected")]
    [InlineData("554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using rbl.example.net; see https://rbl.example.net/reputation", "blocked")]
    public void Classify_WhenOnlyThePhraseSaysWhy_ReadsThePhraseFamily(string diagnostic, string expected) =>
        Assert.Equal(expected, ReasonClassifier.Classify("5.0.0", 550, diagnostic, "failed", null));
}
