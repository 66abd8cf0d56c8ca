using System.Text;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Cuts a bounce right after the headers of the returned original message (a message/rfc822 part that comes after
/// the report): the original's body is never read, and MimeKit need not build its parts. Large attachments in
/// returned messages then cost nothing. When the original's header block is plain (every line a field or a folded
/// continuation), the cut is made before it instead and the few fields the parser reads are taken from it here:
/// MimeKit then builds no header objects and no message for the original.
/// </summary>
internal static class ReturnedMessageCut
{
    /// <summary>The message, cut; <paramref name="originalFields"/> holds the original's fields when the cut was made before its headers.</summary>
    public static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> raw, out List<OriginalField>? originalFields)
    {
        originalFields = null;
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
        if (originalHeadersEnd < 0)
        {
            return raw;
        }

        // A report inside the rfc822 part (some MTAs wrap the whole bounce) or after it must stay readable.
        var rest = span[at..];
        if (rest.IndexOf("elivery-status"u8) >= 0 || rest.IndexOf("eedback-report"u8) >= 0 || rest.IndexOf("ELIVERY-STATUS"u8) >= 0)
        {
            return raw;
        }

        if (rest.IndexOf("elivery-Status"u8) < 0 && IsLastPlainMessagePart(span, at, partHeadersEnd, originalHeadersEnd) &&
            PlainHeaderBlock.ReadFields(span[partHeadersEnd..originalHeadersEnd], untilFirstBlankLine: false) is { } fields)
        {
            originalFields = fields;
            return raw[..partHeadersEnd];
        }

        if (raw.Length - originalHeadersEnd < 1024)
        {
            return raw;
        }

        return raw[..originalHeadersEnd];
    }

    /// <summary>
    /// True when the content type at <paramref name="at"/> heads a MIME part that MimeKit reads as an embedded message
    /// and that nothing but its own body follows: its header block follows the delimiter of a boundary declared before it
    /// and declares no transfer encoding (an encoded message/rfc822 is read as an opaque part); after the original's
    /// headers, no delimiter of a boundary declared before it opens another part (only closing delimiters).
    /// </summary>
    private static bool IsLastPlainMessagePart(ReadOnlySpan<byte> span, int at, int partHeadersEnd, int originalHeadersEnd)
    {
        var lineStart = span[..at].LastIndexOf((byte)'\n') + 1;
        ReadOnlySpan<byte> delimiter = default;
        while (lineStart > 0)
        {
            var previousStart = span[..(lineStart - 1)].LastIndexOf((byte)'\n') + 1;
            var previous = span[previousStart..(lineStart - 1)].TrimEnd("\r\t "u8);
            if (previous.StartsWith("--"u8))
            {
                delimiter = previous[2..];
                break;
            }

            if (previous.IsEmpty)
            {
                return false;
            }

            lineStart = previousStart;
        }

        if (delimiter.IsEmpty || PlainHeaderBlock.ContainsIgnoreCase(span[lineStart..partHeadersEnd], "transfer-encoding"u8))
        {
            return false;
        }

        var boundaries = DeclaredBoundaries(span[..lineStart]);
        var declared = false;
        foreach (var boundary in boundaries ?? [])
        {
            declared |= delimiter.SequenceEqual(boundary);
        }

        if (boundaries is null || !declared)
        {
            return false;
        }

        var position = originalHeadersEnd;
        while (position < span.Length)
        {
            var newline = span[position..].IndexOf((byte)'\n');
            var line = newline < 0 ? span[position..] : span.Slice(position, newline);
            if (line.StartsWith("--"u8))
            {
                foreach (var boundary in boundaries)
                {
                    if (line[2..].StartsWith(boundary) && !line[(2 + boundary.Length)..].StartsWith("--"u8))
                    {
                        return false;
                    }
                }
            }

            if (newline < 0)
            {
                break;
            }

            position += newline + 1;
        }

        return true;
    }

    /// <summary>The boundary parameters declared in <paramref name="span"/>, or null when one is written in a form not read here.</summary>
    private static List<byte[]>? DeclaredBoundaries(ReadOnlySpan<byte> span)
    {
        var boundaries = new List<byte[]>();
        var offset = 0;
        while (true)
        {
            var found = PlainHeaderBlock.IndexOfIgnoreCase(span[offset..], "boundary"u8);
            if (found < 0)
            {
                return boundaries;
            }

            var value = span[(offset + found + "boundary".Length)..];
            offset += found + 1;
            if (value.StartsWith("*"u8))
            {
                return null;
            }

            value = value.TrimStart(" \t"u8);
            if (!value.StartsWith("="u8))
            {
                continue;
            }

            value = value[1..].TrimStart(" \t"u8);
            int end;
            if (value.StartsWith("\""u8))
            {
                value = value[1..];
                end = value.IndexOfAny("\"\r\n"u8);
            }
            else
            {
                end = value.IndexOfAny("; \t\r\n"u8);
            }

            var token = end < 0 ? value : value[..end];
            if (token.IsEmpty || token.IndexOf("\\"u8) >= 0)
            {
                return null;
            }

            boundaries.Add(token.ToArray());
        }
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
