using System.Text;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Cuts a bounce right after the headers of the returned original message (a message/rfc822 part that comes after
/// the report): the original's body is never read, and MimeKit need not build its parts. Large attachments in
/// returned messages then cost nothing.
/// </summary>
internal static class ReturnedMessageCut
{
    public static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        var headerEnd = BlankLine(span, 0);
        if (headerEnd < 0)
        {
            return raw;
        }

        var at = FindRfc822Part(span, headerEnd);
        if (at < 0)
        {
            return raw;
        }

        // The part's own headers end at a blank line; the returned message's headers end at the next one.
        var partHeadersEnd = BlankLine(span, at);
        if (partHeadersEnd < 0)
        {
            return raw;
        }

        var originalHeadersEnd = BlankLine(span, partHeadersEnd);
        if (originalHeadersEnd < 0 || raw.Length - originalHeadersEnd < 1024)
        {
            return raw;
        }

        // A report inside the rfc822 part (some MTAs wrap the whole bounce) or after it must stay readable.
        var rest = span[at..];
        if (rest.IndexOf("elivery-status"u8) >= 0 || rest.IndexOf("eedback-report"u8) >= 0 || rest.IndexOf("ELIVERY-STATUS"u8) >= 0)
        {
            return raw;
        }

        return raw[..originalHeadersEnd];
    }

    /// <summary>Position of a "message/rfc822" content type after the top-level headers, or -1.</summary>
    private static int FindRfc822Part(ReadOnlySpan<byte> span, int from)
    {
        var offset = from;
        while (offset < span.Length)
        {
            // "822" is rare in a message, the letter r is not: find the digits, then look back for "rfc".
            var found = span[offset..].IndexOf("822"u8);
            if (found < 0)
            {
                return -1;
            }

            var at = offset + found - 3;
            offset = offset + found + 1;
            if (at < from || at < 8 || span.Length - at < 6)
            {
                continue;
            }

            if (!span.Slice(at, 6).SequenceEqual("rfc822"u8) && !span.Slice(at, 6).SequenceEqual("RFC822"u8))
            {
                continue;
            }

            var before = span.Slice(at - 8, 8);
            var after = at + 6 < span.Length ? span[at + 6] : (byte)';';
            if (!Ascii.EqualsIgnoreCase(before, "message/"u8) || after is (byte)'-' or (byte)'.')
            {
                continue;
            }

            // Only a part header line: "Content-Type: message/rfc822".
            var lineStart = span[..at].LastIndexOf((byte)'\n') + 1;
            var line = span[lineStart..at];
            if (line.Length >= 13 && Ascii.EqualsIgnoreCase(line[..13], "content-type:"u8))
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>The position just after the next empty line (LF or CRLF) at or after <paramref name="from"/>, or -1.</summary>
    private static int BlankLine(ReadOnlySpan<byte> span, int from)
    {
        var offset = from;
        while (offset < span.Length)
        {
            var newline = span[offset..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            var next = offset + newline + 1;
            if (next < span.Length && span[next] == (byte)'\n')
            {
                return next + 1;
            }

            if (next + 1 < span.Length && span[next] == (byte)'\r' && span[next + 1] == (byte)'\n')
            {
                return next + 2;
            }

            offset = next;
        }

        return -1;
    }
}
