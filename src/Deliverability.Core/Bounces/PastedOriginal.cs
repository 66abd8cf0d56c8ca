using System.Buffers;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Where a bounce's own words end and a returned original pasted into its text begins: a marker line the MTAs write
/// ("Below this line is a copy of the message", "----- Original message -----", ...) or a run of header lines;
/// the pasted header block is read as the original's headers when no MIME part holds them.
/// </summary>
internal static class PastedOriginal
{
    private static readonly string[] OriginalMarkers =
    [
        "below this line is a copy of the message",
        "this is a copy of the message",
        "original message follows",
        "original message headers",
        "returned message follows",
        "unsent message below",
        "message header follows",
        "headers of your message",
        "your message reads",
        "------ original message",
        "----- original message",
        "--- original message",
        "included is a copy",
        "the text you sent follows",
        "the headers of the message",
        "a copy of the original message",
        "text of the message follows",
        "message text follows",
    ];

    private static readonly SearchValues<string> Markers = SearchValues.Create(OriginalMarkers, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The length of the bounce's own text (where the pasted original starts, or the whole text), and the pasted
    /// header block when <paramref name="wantHeaders"/> and one is found.
    /// </summary>
    public static int Split(string text, bool wantHeaders, out List<OriginalField>? headers)
    {
        headers = null;
        if (text.Length == 0)
        {
            return 0;
        }

        var best = text.AsSpan().IndexOfAny(Markers);
        var headerStart = FindHeaderBlock(text, best < 0 ? 0 : best);
        if (headerStart >= 0 && wantHeaders)
        {
            var end = BlankLine(text, headerStart);
            var block = end < 0 ? text[headerStart..] : text[headerStart..end];
            headers = MessageParts.LoadFields(System.Text.Encoding.UTF8.GetBytes(block.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n\n"));
        }

        if (best >= 0)
        {
            // Cut at the start of the marker's line.
            var lineStart = text.LastIndexOf('\n', best);
            return lineStart < 0 ? 0 : lineStart;
        }

        return headerStart >= 0 ? headerStart : text.Length;
    }

    /// <summary>
    /// Where the header block starting at <paramref name="from"/> ends: the first line that is empty once carriage returns
    /// are dropped (the way the block is parsed), or -1. Nothing after it can be a header of the block.
    /// </summary>
    private static int BlankLine(string text, int from)
    {
        var newline = text.IndexOf('\n', from);
        while (newline >= 0)
        {
            var next = newline + 1;
            while (next < text.Length && text[next] == '\r')
            {
                next++;
            }

            if (next < text.Length && text[next] == '\n')
            {
                return newline;
            }

            newline = text.IndexOf('\n', next);
        }

        return -1;
    }

    /// <summary>Finds a run of at least three header-looking lines (a returned message pasted into the text).</summary>
    private static int FindHeaderBlock(string text, int from)
    {
        var run = 0;
        var runStart = -1;
        var position = from;
        if (position > 0)
        {
            var lineStart = text.LastIndexOf('\n', position);
            position = lineStart < 0 ? 0 : lineStart + 1;
        }

        var lines = 0;
        while (position < text.Length && lines++ < 2000)
        {
            var newline = text.IndexOf('\n', position);
            var line = newline < 0 ? text.AsSpan(position) : text.AsSpan(position, newline - position);
            var trimmed = line.TrimEnd('\r');
            if (IsHeaderLine(trimmed))
            {
                if (run == 0)
                {
                    runStart = position;
                }

                run++;
                if (run >= 3 && HasKeyHeader(text.AsSpan(runStart, position + line.Length - runStart)))
                {
                    return runStart;
                }
            }
            else if (!(run > 0 && trimmed.Length > 0 && (trimmed[0] == ' ' || trimmed[0] == '\t')))
            {
                run = 0;
            }

            if (newline < 0)
            {
                break;
            }

            position = newline + 1;
        }

        return -1;
    }

    private static bool IsHeaderLine(ReadOnlySpan<char> line)
    {
        var colon = line.IndexOf(':');
        if (colon <= 1 || colon > 40)
        {
            return false;
        }

        foreach (var c in line[..colon])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasKeyHeader(ReadOnlySpan<char> block) =>
        block.Contains("\nFrom:", StringComparison.OrdinalIgnoreCase) || block.StartsWith("From:", StringComparison.OrdinalIgnoreCase) ||
        block.Contains("Message-Id:", StringComparison.OrdinalIgnoreCase) || block.Contains("Received:", StringComparison.OrdinalIgnoreCase) ||
        block.Contains("Return-Path:", StringComparison.OrdinalIgnoreCase);
}
