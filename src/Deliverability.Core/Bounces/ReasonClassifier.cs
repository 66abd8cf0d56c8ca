namespace Deliverability.Core.Bounces;

/// <summary>
/// Decides why a delivery failed, as one of Sisimai's reason names. Reads the diagnostic text first
/// (phrases that MTAs and providers actually write), then falls back on the enhanced status code (RFC 3463)
/// and the SMTP reply code.
/// </summary>
internal static class ReasonClassifier
{
    /// <summary>Reasons whose failures are about the address itself, so retrying never helps.</summary>
    public static bool IsHardBounce(string reason) => reason is "userunknown" or "hostunknown" or "hasmoved" or "notaccept";

    public static string Classify(string? status, int? replyCode, string? diagnostic, string? action, string? command)
    {
        if (action is "delivered" or "relayed" or "expanded" || (SmtpCodes.IsSuccess(status) && action is null))
        {
            return "delivered";
        }

        var text = Normalise(RemoteWords(diagnostic));
        var byText = text.Length > 0 ? PhraseRules.Match(text) : null;
        var byStatus = StatusRules.Match(status);
        if (byText is null && byStatus is null && text.Length > 0)
        {
            // Only vague words ("rejected", "refused", "not found") are left.
            byText = PhraseRules.MatchVague(text);
        }

        string? reason;
        if (byText is not null && byStatus is not null && StatusRules.IsAuthoritative(status!) && byText != byStatus
            && !PhraseRules.OverridesStatus(byText))
        {
            reason = byStatus;
        }
        else
        {
            reason = byText ?? byStatus;
        }

        if (reason is null && action == "delayed")
        {
            reason = "expired";
        }

        var temporary = status is not null ? status[0] == '4' : replyCode is >= 400 and < 500;
        if (temporary && reason is "networkerror" or "systemerror" && IsConnectionFailure(text))
        {
            // A permanent failure caused by a temporary error: the retry period ran out.
            reason = "expired";
        }

        if (reason is "hostunknown" && (temporary || text.Contains("try again", StringComparison.Ordinal)))
        {
            // A DNS answer that may change: not yet proof that the domain does not exist.
            reason = "networkerror";
        }

        if (reason is "userunknown" or "filtered" && NamesMissingDomain(text))
        {
            reason = "hostunknown";
        }

        if (reason is "userunknown" && (IsAfterData(command, text) || (command is null && !IsAddressStatus(status))) && !SaysAccountMissing(status, text))
        {
            // The recipient was accepted at RCPT and refused once the content was seen: a content filter.
            reason = "filtered";
        }

        if (command is "MAIL" && (reason is null or "userunknown" or "hostunknown" or "syntaxerror" or "onhold" or "systemerror" or "filtered" or "notaccept" or "undefined" ||
            (reason is "securityerror" && !text.Contains("authenticat", StringComparison.Ordinal))))
        {
            // Refused at MAIL FROM: the sender (address or domain) was not accepted.
            reason = "rejected";
        }

        if (command is "CONN" or "HELO" && reason is null or "networkerror" or "userunknown" or "hostunknown" or "syntaxerror" or "securityerror" or "onhold" or "systemerror" or "rejected" or "filtered" or "undefined")
        {
            // Refused before any address was given: the connecting host itself is not welcome.
            reason = "blocked";
        }

        if (reason is null)
        {
            var code = replyCode ?? 0;
            reason = status is not null || code >= 400 ? "onhold" : "undefined";
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

    /// <summary>An explicit "this account does not exist" rather than a filter's vague "user unknown".</summary>
    private static bool SaysAccountMissing(string? status, string text) =>
        status is "5.1.1" or "4.1.1" ||
        text.Contains("doesn't have a", StringComparison.Ordinal) || text.Contains("does not have a", StringComparison.Ordinal) ||
        text.Contains("invalid recipient", StringComparison.Ordinal) || text.Contains("does not exist", StringComparison.Ordinal) ||
        text.Contains("no such mailbox", StringComparison.Ordinal) || text.Contains("not recognized", StringComparison.Ordinal) ||
        text.Contains("couldn't be found", StringComparison.Ordinal) || text.Contains("could not be found", StringComparison.Ordinal) ||
        text.Contains("invalid final delivery", StringComparison.Ordinal) || text.Contains("not listed in", StringComparison.Ordinal) || text.Contains("no valid recipient", StringComparison.Ordinal);

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

    private static bool IsAddressStatus(string? status) => status is not null && status.Length >= 5 && status[2] == '1' && status[3] == '.';

    private static bool IsAfterData(string? command, string text) =>
        command is "DATA" ||
        text.Contains("end of data", StringComparison.Ordinal) ||
        text.Contains("after data", StringComparison.Ordinal);

    /// <summary>Collapses runs of whitespace into single spaces, keeping case.</summary>
    public static string NormaliseKeepCase(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static string Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var span = text.Length > 8192 ? text.AsSpan(0, 8192) : text.AsSpan();
        var chars = new char[span.Length];
        var length = 0;
        var lastSpace = true;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!lastSpace)
                {
                    chars[length++] = ' ';
                }

                lastSpace = true;
                continue;
            }

            chars[length++] = char.ToLowerInvariant(c);
            lastSpace = false;
        }

        return new string(chars, 0, length);
    }
}
