namespace Deliverability.Core.Bounces;

/// <summary>
/// Repairs the framing of a raw message before MIME parsing, so that sloppy files are read rather than refused:
/// an mbox "From " line, blank lines before the headers, lone CR line endings (classic Mac OS tools), and a body
/// saved without its headers (copied out of a mail client), which gets a minimal header so MIME parsing can proceed.
/// </summary>
internal static class MessageFraming
{
    /// <summary>What a body saved without headers is given, so that it is read as plain text.</summary>
    private static readonly byte[] HeaderlessPrefix = "Content-Type: text/plain\n\n"u8.ToArray();

    public enum Outcome
    {
        /// <summary>The message starts with its headers (possibly after repairs).</summary>
        Headers,

        /// <summary>No header block: the returned bytes are the body behind a minimal synthetic header.</summary>
        Headerless,

        /// <summary>Nothing after an mbox "From " line.</summary>
        EmptyAfterFromLine,
    }

    public static Outcome Repair(ref ReadOnlyMemory<byte> raw, bool forceHeaderless = false)
    {
        var fromLine = raw.Span.StartsWith("From "u8);
        if (fromLine)
        {
            var newline = raw.Span.IndexOfAny((byte)'\n', (byte)'\r');
            raw = newline < 0 ? ReadOnlyMemory<byte>.Empty : raw[(newline + 1)..];
        }

        raw = SkipLeadingBlankLines(raw);
        if (raw.IsEmpty)
        {
            return fromLine ? Outcome.EmptyAfterFromLine : Outcome.Headers;
        }

        raw = NormaliseLoneCarriageReturns(raw);
        if ((!forceHeaderless && StartsWithHeaderField(raw.Span)) || !LooksLikeText(raw.Span))
        {
            // Binary data is not a body saved without headers: let MIME parsing call it unreadable.
            return Outcome.Headers;
        }

        var joined = new byte[HeaderlessPrefix.Length + raw.Length];
        HeaderlessPrefix.CopyTo(joined, 0);
        raw.Span.CopyTo(joined.AsSpan(HeaderlessPrefix.Length));
        raw = joined;
        return Outcome.Headerless;
    }

    private static ReadOnlyMemory<byte> SkipLeadingBlankLines(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        var position = 0;
        while (position < span.Length)
        {
            var rest = span[position..];
            var content = rest.IndexOfAnyExcept(" \t"u8);
            if (content < 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            if (rest[content] == (byte)'\n')
            {
                position += content + 1;
            }
            else if (rest[content] == (byte)'\r')
            {
                position += content + (content + 1 < rest.Length && rest[content + 1] == (byte)'\n' ? 2 : 1);
            }
            else
            {
                break;
            }
        }

        return raw[position..];
    }

    /// <summary>A message whose first 64 KB hold CRs but no LF uses lone CRs as line ends: rewrite them as LF.</summary>
    private static ReadOnlyMemory<byte> NormaliseLoneCarriageReturns(ReadOnlyMemory<byte> raw)
    {
        var head = raw.Span[..Math.Min(raw.Length, 64 * 1024)];
        if (head.IndexOf((byte)'\r') < 0 || head.IndexOf((byte)'\n') >= 0)
        {
            return raw;
        }

        var copy = raw.ToArray();
        copy.AsSpan().Replace((byte)'\r', (byte)'\n');
        return copy;
    }

    /// <summary>Text in any charset: at most 1 in 20 of the first 4 KB are control bytes other than tab, CR, LF, FF and ESC.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> span)
    {
        var head = span[..Math.Min(span.Length, 4096)];
        var control = 0;
        foreach (var b in head)
        {
            if (b is (< 0x20 and not (0x09 or 0x0A or 0x0C or 0x0D or 0x1B)) or 0x7F)
            {
                control++;
            }
        }

        return control * 20 <= head.Length;
    }

    /// <summary>
    /// True when the first line is a header field: a name of printable ASCII without colon or space (RFC 5322
    /// section 2.2; white space before the colon is tolerated as the obsolete syntax allows), then a colon.
    /// </summary>
    internal static bool StartsWithHeaderField(ReadOnlySpan<byte> span)
    {
        var limit = Math.Min(span.Length, 1000);
        for (var i = 0; i < limit; i++)
        {
            var b = span[i];
            if (b == (byte)':')
            {
                return i > 0 && span[..i].TrimEnd(" \t"u8).Length > 0 && span[..i].TrimEnd(" \t"u8).IndexOfAny(" \t"u8) < 0;
            }

            if (b is < 33 or > 126 && b is not ((byte)' ' or (byte)'\t'))
            {
                return false;
            }
        }

        return false;
    }
}
