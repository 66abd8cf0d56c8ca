using System.Text.RegularExpressions;

namespace Deliverability.Core.Bounces;

/// <summary>Finds SMTP reply codes and RFC 3463 enhanced status codes in free text (addresses: <see cref="TextAddresses"/>).</summary>
internal static partial class SmtpCodes
{
    // Every pattern here has bounded quantifiers and no nested repetition, so the backtracking engine stays linear.
    private const RegexOptions Safe = RegexOptions.CultureInvariant;

    [GeneratedRegex(@"[245]\.[0-9]{1,3}\.[0-9]{1,3}", Safe)]
    private static partial Regex EnhancedStatusPattern();

    /// <summary>The first enhanced status code (e.g. "5.7.1") in the text, or null.</summary>
    public static string? FindStatus(ReadOnlySpan<char> text)
    {
        foreach (var match in EnhancedStatusPattern().EnumerateMatches(text))
        {
            var before = match.Index > 0 ? text[match.Index - 1] : ' ';
            var afterIndex = match.Index + match.Length;
            var after = afterIndex < text.Length ? text[afterIndex] : ' ';
            var afterNext = afterIndex + 1 < text.Length ? text[afterIndex + 1] : ' ';
            if (char.IsAsciiDigit(before) || before == '.' || char.IsAsciiLetter(before))
            {
                continue;
            }

            if (char.IsAsciiDigit(after) || (after == '.' && char.IsAsciiDigit(afterNext)))
            {
                continue;
            }

            if (IsVersionNumber(text[..match.Index]))
            {
                continue;
            }

            return text.Slice(match.Index, match.Length).ToString();
        }

        return null;
    }

    private static readonly System.Buffers.SearchValues<char> WordStarts = System.Buffers.SearchValues.Create(" \t([\"'");

    /// <summary>"version 2.0.12", "release 4.2.1", "v. 5.1.3", "Postfix 2.11.3": a software version, not a status.</summary>
    private static bool IsVersionNumber(ReadOnlySpan<char> before)
    {
        var word = before.TrimEnd(" \t.:#");
        if (word.EndsWith('/'))
        {
            return true; // "MailScanner/4.84.5"
        }

        var last = word[(word.LastIndexOfAny(WordStarts) + 1)..];
        if (last.Length is 0 or > 8)
        {
            return false;
        }

        Span<char> lower = stackalloc char[8];
        var length = last.ToLowerInvariant(lower);
        return lower[..length] is "version" or "ver" or "v" or "release" or "rel" or "rev" or "build" or "update" or "postfix"
            or "exim" or "sendmail" or "qmail" or "php" or "perl" or "python";
    }

    /// <summary>
    /// The status the remote server gave: the first one right after an SMTP reply code ("550 5.7.1", "550-5.2.2"),
    /// falling back to the first one anywhere. Gateways such as Amazon SES put their own status first.
    /// </summary>
    public static string? FindRemoteStatus(string text)
    {
        var first = FindStatus(text);
        if (first is null)
        {
            return null;
        }

        if (first[0] == '2')
        {
            // A transcript: "250 2.1.5 Ok" for RCPT, then the failure. Report the failure.
            first = FindAllStatuses(text).Take(8).FirstOrDefault(s => s[0] != '2') ?? first;
        }

        var statuses = FindAllStatuses(text).Take(8).ToList();
        foreach (var status in statuses)
        {
            var at = text.IndexOf(status, StringComparison.Ordinal);
            if (status[0] == '2' && first[0] != '2')
            {
                continue;
            }

            if (status is "4.4.7" or "5.4.7" && WrappedStatus(text, at + status.Length) is { } wrapped)
            {
                // "554 4.4.7 Message expired: ... <421 4.4.2 Connection timed out>": the local MTA's expiry wraps the
                // remote server's last answer, the same one FindRemoteReplyCode reports.
                return wrapped;
            }

            if (at >= 5 && text[at - 1] == '\'' && text[at - 2] is ' ' or '-' && char.IsAsciiDigit(text[at - 3]))
            {
                return status;
            }

            if (at >= 4 && text[at - 1] is ' ' or '-' && char.IsAsciiDigit(text[at - 2]) && char.IsAsciiDigit(text[at - 3]) && text[at - 4] is '4' or '5' or '2' && (at < 5 || !char.IsAsciiDigit(text[at - 5])))
            {
                return status;
            }
        }

        return first;
    }

    /// <summary>The status right after a reply code that opens a "&lt;421 4.4.2 ...&gt;" quote after <paramref name="from"/>.</summary>
    private static string? WrappedStatus(string text, int from)
    {
        var open = text.IndexOf('<', from);
        if (open < 0 || open > from + 200 || open + 10 > text.Length)
        {
            return null;
        }

        var quoted = text.AsSpan(open + 1);
        if (!char.IsAsciiDigit(quoted[0]) || !char.IsAsciiDigit(quoted[1]) || !char.IsAsciiDigit(quoted[2]) || quoted[3] != ' ')
        {
            return null;
        }

        var status = FindStatus(quoted[4..Math.Min(quoted.Length, 16)]);
        return status is not null && quoted[4..].StartsWith(status, StringComparison.Ordinal) ? status : null;
    }

    /// <summary>All enhanced status codes in the text, in order.</summary>
    /// <summary>
    /// The reply code of the remote server. A local MTA that wraps the remote answer ("554 &lt;a@b&gt;... 550 Host unknown",
    /// "554 4.4.7 Message expired ... &lt;421 4.4.2 Connection timed out&gt;") puts its own code first: take the wrapped one.
    /// </summary>
    public static int? FindRemoteReplyCode(string text)
    {
        var first = FindReplyCode(text);
        if (first is null)
        {
            return null;
        }

        var firstAt = text.IndexOf(first.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var head = text.AsSpan(firstAt + 3, Math.Min(40, text.Length - firstAt - 3));
        var wrapped = head.TrimStart().StartsWith("<") || head.TrimStart().StartsWith("4.4.7") || head.TrimStart().StartsWith("5.4.7");
        if (!wrapped)
        {
            return first;
        }

        foreach (var marker in new[] { "... ", "<" })
        {
            var at = text.IndexOf(marker, firstAt + 3, StringComparison.Ordinal);
            while (at >= 0 && at < firstAt + 400)
            {
                var after = text.AsSpan(at + marker.Length, Math.Min(4, text.Length - at - marker.Length));
                if (after.Length == 4 && after[3] == ' ' && FindReplyCode(after) is { } inner)
                {
                    return inner;
                }

                at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal);
            }
        }

        return first;
    }

    public static IEnumerable<string> FindAllStatuses(string text)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            var found = FindStatus(text.AsSpan(offset));
            if (found is null)
            {
                yield break;
            }

            var at = text.IndexOf(found, offset, StringComparison.Ordinal);
            yield return found;
            offset = at + found.Length;
        }
    }

    /// <summary>The first SMTP reply code (e.g. 550) standing as a word in the text, or null.</summary>
    public static int? FindReplyCode(ReadOnlySpan<char> text)
    {
        for (var i = 0; i + 3 <= text.Length; i++)
        {
            var c = text[i];
            if (c is not ('4' or '5') && !(c == '2' && i == 0))
            {
                continue;
            }

            if (!char.IsAsciiDigit(text[i + 1]) || !char.IsAsciiDigit(text[i + 2]))
            {
                continue;
            }

            var before = i > 0 ? text[i - 1] : ' ';
            var after = i + 3 < text.Length ? text[i + 3] : ' ';
            var beforeColon = i > 1 ? text[i - 2] : ' ';
            if (char.IsAsciiLetterOrDigit(before) || before is '.' or '/' or '-' or '_' or '+' or '#' or '=' or '$' ||
                (before == ':' && (char.IsAsciiDigit(beforeColon) || char.IsAsciiLetter(beforeColon))))
            {
                continue;
            }

            var afterNext = i + 4 < text.Length ? text[i + 4] : ' ';
            if (char.IsAsciiLetterOrDigit(after) || after is '.' or '/' or '@' or '_' or '%' or ']' || (after == ':' && afterNext != ' '))
            {
                continue;
            }

            var code = ((c - '0') * 100) + ((text[i + 1] - '0') * 10) + (text[i + 2] - '0');
            if (text[i + 1] > '5')
            {
                continue;
            }

            return code;
        }

        return null;
    }

    /// <summary>The addresses in the text (kept for the log readers, which call it by this name; see <see cref="TextAddresses"/>).</summary>
    public static List<string> FindAddresses(string text) => TextAddresses.Find(text);

    /// <summary>One address normalised (kept for the log readers; see <see cref="TextAddresses.Clean"/>).</summary>
    public static string? CleanAddress(ReadOnlySpan<char> raw) => TextAddresses.Clean(raw);

    /// <summary>True for a reply or status code that says nothing specific (X.0.0).</summary>
    public static bool IsGeneric(string? status) => status is null || status.EndsWith(".0.0", StringComparison.Ordinal);

    public static bool IsSuccess(string? status) => status is not null && status.StartsWith('2');
}
