namespace Deliverability.Core.Bounces;

/// <summary>
/// Decides why a delivery failed, as one of Sisimai's reason names, in the documented order of docs/parser.md
/// ("How the reason is decided"): kind, receiver, lexicon over the remote text against the enhanced status code,
/// the SMTP stage, expiry. Every step is a general rule; the knowledge itself is data (<see cref="ReasonLexicon"/>,
/// <see cref="Providers.ReceiverCatalog"/>, <see cref="StatusRules"/>).
/// </summary>
internal static class ReasonClassifier
{
    /// <summary>Reasons whose failures are about the address itself, so retrying never helps.</summary>
    public static bool IsHardBounce(string reason) => reason is BounceReasons.UserUnknown or BounceReasons.HostUnknown or BounceReasons.HasMoved or BounceReasons.NotAccept;

    /// <summary>
    /// The reason for one failure. <paramref name="command"/> is the SMTP stage the text names (CONN, HELO, MAIL, RCPT,
    /// DATA) or null; <paramref name="receiver"/> is a <see cref="Providers.ReceiverCatalog"/> key when the rejecting
    /// system is known, so that its own documented texts are read first.
    /// </summary>
    public static string Classify(string? status, int? replyCode, string? diagnostic, string? action, string? command, string? receiver = null)
    {
        // Step 1, kind: a DSN that says the message was delivered is not a failure (RFC 3464 section 2.3.3).
        if (action is "delivered" or "relayed" or "expanded" || (SmtpCodes.IsSuccess(status) && action is null))
        {
            return BounceReasons.Delivered;
        }

        var text = Normalise(RemoteWords(diagnostic));
        var framedByQmail = QmailFraming.WithoutRecipientFraming(ref text);
        QmailFraming.WithoutSendPreamble(ref text);

        // Step 2, receiver: a receiver's own documented text means what the receiver says it means.
        var reason = Providers.ReceiverCatalog.ReasonFor(receiver, text, replyCode, command, status);
        if (reason is not null)
        {
            return reason;
        }

        // Steps 3 and 4, lexicon over the remote text, weighed against the enhanced status code (RFC 3463).
        reason = ByTextAndStatus(status, text);
        if (reason is null && framedByQmail)
        {
            // The remote reply said nothing readable: qmail-remote's own words are all there is (a refused RCPT).
            reason = BounceReasons.UserUnknown;
        }

        // Step 5, stage and expiry.
        var temporary = status is not null ? status[0] == '4' : replyCode is >= 400 and < 500;
        reason = ByStageAndExpiry(reason, status, replyCode, text, action, command, temporary);
        return reason;
    }

    private static string? ByTextAndStatus(string? status, string text)
    {
        var byText = text.Length > 0 ? ReasonLexicon.Match(text) : null;
        if (byText is null && text.Contains('@', StringComparison.Ordinal))
        {
            // "Mailbox bob@example.org unavailable", "user <bob@example.org> unknown": the phrase around the address.
            byText = ReasonLexicon.Match(WithoutAddresses(text));
        }

        var byStatus = StatusRules.Match(status);
        if (byText is null && byStatus is null && text.Length > 0)
        {
            // Only vague words ("rejected", "refused", "not found") are left.
            byText = ReasonLexicon.MatchVague(text);
        }

        if (byText is not null && byStatus is not null && StatusRules.IsAuthoritative(status!) && byText != byStatus
            && !ReasonLexicon.OverridesStatus(byText))
        {
            // A precise status (X.1.1 bad mailbox, X.2.2 mailbox full, ...) beats a vague phrase.
            return byStatus;
        }

        return byText ?? byStatus;
    }

    private static string ByStageAndExpiry(string? reason, string? status, int? replyCode, string text, string? action, string? command, bool temporary)
    {
        if (reason is null && IsAttemptCountExpiry(text))
        {
            // Ipswitch IMail returns a message once its retries are used up: "Delivery failed 3 attempts".
            reason = BounceReasons.Expired;
        }

        if (reason is null && action == "delayed")
        {
            // Still retrying: the message is waiting in the queue (Sisimai and RFC 3464 "delayed").
            reason = BounceReasons.Expired;
        }

        if (temporary && reason is BounceReasons.NetworkError or BounceReasons.SystemError && IsConnectionFailure(text))
        {
            // A temporary error that ended in a failure report: the retry period ran out (Postfix maximal_queue_lifetime,
            // Exim retry rules, Sendmail Timeout.queuereturn).
            reason = BounceReasons.Expired;
        }

        if (reason is BounceReasons.HostUnknown && (temporary || text.Contains("try again", StringComparison.Ordinal)))
        {
            // A DNS answer that may change: not yet proof that the domain does not exist.
            reason = BounceReasons.NetworkError;
        }

        if (reason is BounceReasons.UserUnknown or BounceReasons.Filtered && NamesMissingDomain(text))
        {
            reason = BounceReasons.HostUnknown;
        }

        if (reason is BounceReasons.UserUnknown && IsAfterData(command, text) && !SaysAccountMissing(status, text))
        {
            // The recipient was accepted at RCPT and refused once the content was seen (RFC 5321: the reply to the
            // end of DATA is about the message): a filter, not a missing mailbox. Without a visible stage a "user
            // unknown" stays userunknown.
            reason = BounceReasons.Filtered;
        }

        if (reason is null && replyCode is >= 500 and <= 504 && text.Length > 0 && status is null or [_, '.', '5', ..])
        {
            // RFC 5321 500-504: the command or its arguments were not understood, at whatever stage ("501 5.5.4 Invalid
            // arguments" to MAIL FROM is about the command's syntax, not the sender; Sisimai reads 50x the same way).
            reason = BounceReasons.SyntaxError;
        }

        if (command is "MAIL" && !(reason is BounceReasons.SyntaxError && IsProtocolStatus(status)) &&
            (reason is null or BounceReasons.UserUnknown or BounceReasons.HostUnknown or BounceReasons.SyntaxError or BounceReasons.OnHold or BounceReasons.SystemError or BounceReasons.Filtered or BounceReasons.NotAccept or BounceReasons.Undefined ||
            (reason is BounceReasons.SecurityError && !text.Contains("authenticat", StringComparison.Ordinal))))
        {
            // Refused at MAIL FROM: the sender (address or domain) was not accepted.
            reason = BounceReasons.Rejected;
        }

        if (command is "CONN" or "HELO" && reason is null or BounceReasons.NetworkError or BounceReasons.UserUnknown or BounceReasons.HostUnknown or BounceReasons.SyntaxError or BounceReasons.SecurityError or BounceReasons.OnHold or BounceReasons.SystemError or BounceReasons.Rejected or BounceReasons.Filtered or BounceReasons.Undefined)
        {
            // Refused before any address was given: the connecting host itself is not welcome.
            reason = BounceReasons.Blocked;
        }

        if (reason is null)
        {
            // A failure whose words and codes say nothing we can read: held for a human (onhold), or nothing at all.
            var code = replyCode ?? 0;
            reason = status is not null || code >= 400 ? BounceReasons.OnHold : BounceReasons.Undefined;
        }

        return reason;
    }

    /// <summary>
    /// Gateways such as Amazon SES wrap the remote answer after a label of their own
    /// ("5.1.0 - Unknown address error 550-'5.7.1 ... Access denied'"): the quoted remote words are what to classify.
    /// </summary>
    private static string? RemoteWords(string? diagnostic)
    {
        if (diagnostic is null || diagnostic.Length < 12 || !char.IsAsciiDigit(diagnostic[0]) || diagnostic[1] != '.')
        {
            return diagnostic;
        }

        var dash = diagnostic.IndexOf(" - ", StringComparison.Ordinal);
        var quote = diagnostic.IndexOf('\'', StringComparison.Ordinal);
        if (dash < 0 || dash > 12 || quote < dash || quote < 4 || !char.IsAsciiDigit(diagnostic[quote - 2]))
        {
            return diagnostic;
        }

        var close = diagnostic.IndexOf('\'', quote + 1);
        return close > quote ? diagnostic[(quote + 1)..close] : diagnostic[(quote + 1)..];
    }

    /// <summary>"delivery failed 3 attempts": the retries ran out (IMail's queue-return wording).</summary>
    private static bool IsAttemptCountExpiry(string text)
    {
        const string Lead = "delivery failed ";
        var at = text.IndexOf(Lead, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var rest = text.AsSpan(at + Lead.Length);
        var digits = rest.IndexOfAnyExceptInRange('0', '9');
        return digits > 0 && rest[digits..].StartsWith(" attempt", StringComparison.Ordinal);
    }

    /// <summary>The text with every word that holds an address left out.</summary>
    private static string WithoutAddresses(string text) =>
        string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => !word.Contains('@', StringComparison.Ordinal)));

    /// <summary>An explicit "this account does not exist" rather than a filter's vague "user unknown".</summary>
    private static bool SaysAccountMissing(string? status, string text) =>
        status is "5.1.1" or "4.1.1" ||
        text.Contains("doesn't have a", StringComparison.Ordinal) || text.Contains("does not have a", StringComparison.Ordinal) ||
        text.Contains("invalid recipient", StringComparison.Ordinal) || text.Contains("does not exist", StringComparison.Ordinal) ||
        text.Contains("no such mailbox", StringComparison.Ordinal) || text.Contains("not recognized", StringComparison.Ordinal) ||
        text.Contains("couldn't be found", StringComparison.Ordinal) || text.Contains("could not be found", StringComparison.Ordinal) ||
        text.Contains("invalid final delivery", StringComparison.Ordinal) || text.Contains("not listed in", StringComparison.Ordinal) || text.Contains("no valid recipient", StringComparison.Ordinal);

    /// <summary>RFC 3463 X.5.x: the status blames the mail delivery protocol (the command), not an address.</summary>
    private static bool IsProtocolStatus(string? status) => status is [_, '.', '5', '.', ..];

    private static bool IsConnectionFailure(string text) =>
        text.Contains("timed out", StringComparison.Ordinal) || text.Contains("timeout", StringComparison.Ordinal) ||
        text.Contains("not reachable", StringComparison.Ordinal) || text.Contains("unreachable", StringComparison.Ordinal) ||
        text.Contains("connection refused", StringComparison.Ordinal) || text.Contains("requests to connect", StringComparison.Ordinal) ||
        text.Contains("could not connect", StringComparison.Ordinal) || text.Contains("unable to connect", StringComparison.Ordinal);

    /// <summary>"553 example.com does not exist": the thing that does not exist is a domain, not a mailbox.</summary>
    private static bool NamesMissingDomain(string text)
    {
        var at = text.IndexOf(" does not exist", StringComparison.Ordinal);
        if (at <= 0)
        {
            return false;
        }

        var start = text.LastIndexOf(' ', at - 1) + 1;
        var token = text.AsSpan(start, at - start).Trim("<>'\"");
        return token.Length > 3 && token.Contains('.') && !token.Contains('@') && char.IsAsciiLetter(token[^1]);
    }

    private static bool IsAfterData(string? command, string text) =>
        command is "DATA" ||
        text.Contains("end of data", StringComparison.Ordinal) ||
        text.Contains("after data", StringComparison.Ordinal);

    /// <summary>Collapses runs of whitespace into single spaces, keeping case.</summary>
    public static string NormaliseKeepCase(string text) => Collapse(text, text.Length, lowerCase: false);

    /// <summary>Lower-cases and collapses whitespace (the first 8,192 characters), the form the phrase rules expect.</summary>
    public static string Normalise(string? text) => string.IsNullOrEmpty(text) ? string.Empty : Collapse(text, 8192, lowerCase: true);

    /// <summary>Like <see cref="Normalise(string?)"/>, for part of a text (no copy of the part first).</summary>
    public static string Normalise(ReadOnlySpan<char> text) => text.IsEmpty ? string.Empty : Collapse(text[..Math.Min(text.Length, 8192)], null, lowerCase: true);

    private static string Collapse(string text, int maxChars, bool lowerCase) =>
        Collapse(text.Length > maxChars ? text.AsSpan(0, maxChars) : text.AsSpan(), text, lowerCase);

    /// <summary>Collapses <paramref name="span"/>; returns <paramref name="whole"/> itself when that is what it comes to.</summary>
    private static string Collapse(ReadOnlySpan<char> span, string? whole, bool lowerCase)
    {
        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(span.Length, 1));
        try
        {
            var length = 0;
            var lastSpace = true;
            foreach (var c in span)
            {
                if (char.IsWhiteSpace(c))
                {
                    if (!lastSpace)
                    {
                        rented[length++] = ' ';
                    }

                    lastSpace = true;
                    continue;
                }

                rented[length++] = lowerCase ? char.ToLowerInvariant(c) : c;
                lastSpace = false;
            }

            if (length > 0 && rented[length - 1] == ' ')
            {
                length--;
            }

            return whole is not null && length == whole.Length && whole.AsSpan().SequenceEqual(rented.AsSpan(0, length)) ? whole : new string(rented, 0, length);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }
}
