namespace Deliverability.Core.Bounces;

/// <summary>One message of an mbox file, with its 0-based position.</summary>
public sealed record MboxMessage(int Index, byte[] Raw);

/// <summary>
/// Splits a Unix mbox into messages while reading it, one message in memory at a time.
/// A message starts at a line beginning with "From " that follows a blank line (or the start of the file);
/// mboxrd quoting (">From ") is undone. Lines may end in LF, CRLF or a lone CR (old Mac mail tools); lone CRs become LF.
/// A separator with nothing after it is handed out as a message holding only that line, so that it is reported
/// (the parser calls it an empty message) instead of vanishing.
/// </summary>
public static class MboxReader
{
    /// <summary>Messages longer than this are cut (the parser only needs the first part of a bounce).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    public static IEnumerable<MboxMessage> Read(Stream mbox)
    {
        ArgumentNullException.ThrowIfNull(mbox);
        return ReadIterator(mbox);
    }

    /// <summary>True when the stream starts like an mbox: "From " on its first line, after a UTF-8 byte order mark or blank lines if any.</summary>
    public static bool LooksLikeMbox(ReadOnlySpan<byte> start)
    {
        start = SkipByteOrderMark(start);
        var text = start.IndexOfAnyExcept(" \t\r\n"u8);
        if (text < 0)
        {
            return false;
        }

        // Leading blank lines, not an indented first line: what comes before "From " ends in a line break.
        return start[text..].StartsWith("From "u8) && (text == 0 || start[text - 1] is (byte)'\n' or (byte)'\r');
    }

    private static ReadOnlySpan<byte> SkipByteOrderMark(ReadOnlySpan<byte> line) => line.StartsWith("\uFEFF"u8) ? line[3..] : line;

    private static IEnumerable<MboxMessage> ReadIterator(Stream mbox)
    {
        var reader = new LineReader(mbox);
        using var current = new MemoryStream();
        byte[]? separator = null;
        var index = 0;
        var inMessage = false;
        var previousBlank = true;
        var first = true;
        while (reader.ReadLine(out var line))
        {
            var content = TrimEol(line.Span);
            if (first)
            {
                first = false;
                var unmarked = SkipByteOrderMark(line.Span);
                line = line[(line.Length - unmarked.Length)..];
                content = TrimEol(unmarked);
            }

            if (!inMessage && content.IndexOfAnyExcept(" \t"u8) < 0)
            {
                // Blank lines before the first separator belong to no message.
                continue;
            }

            if (previousBlank && content.StartsWith("From "u8))
            {
                var finished = inMessage ? MessageBytes(current, separator) : null;
                separator = content.Length > 1024 ? [.. content[..1024], (byte)'\n'] : [.. content, (byte)'\n'];
                if (finished is not null)
                {
                    yield return new MboxMessage(index++, finished);
                }

                current.SetLength(0);
                inMessage = true;
                previousBlank = false;
                continue;
            }

            if (!inMessage)
            {
                // Data before the first separator: treat it as a message of its own.
                inMessage = true;
            }

            previousBlank = content.IsEmpty;
            if (current.Length >= MaxMessageBytes)
            {
                continue;
            }

            var span = line.Span;
            if (IsQuotedFrom(span))
            {
                span = span[1..];
            }

            if (span.Length > 0 && span[^1] == (byte)'\r')
            {
                // A lone CR ends the line: write it as LF so that MIME parsing sees lines.
                current.Write(span[..^1]);
                current.WriteByte((byte)'\n');
            }
            else
            {
                current.Write(span);
            }
        }

        if (inMessage && (current.Length > 0 || separator is not null))
        {
            yield return new MboxMessage(index, MessageBytes(current, separator));
        }
    }

    private static byte[] MessageBytes(MemoryStream current, byte[]? separator)
    {
        var message = TrimTrailingBlank(current);
        return message.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0 && separator is not null ? separator : message;
    }

    private static bool IsQuotedFrom(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && line[i] == (byte)'>')
        {
            i++;
        }

        return i > 0 && line[i..].StartsWith("From "u8);
    }

    private static ReadOnlySpan<byte> TrimEol(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\n"u8))
        {
            line = line[..^1];
        }

        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        return line;
    }

    private static byte[] TrimTrailingBlank(MemoryStream current)
    {
        var buffer = current.GetBuffer().AsSpan(0, (int)current.Length);
        // The separator line is preceded by one blank line that belongs to the mbox format, not the message.
        if (buffer.EndsWith("\r\n\r\n"u8))
        {
            buffer = buffer[..^2];
        }
        else if (buffer.EndsWith("\n\n"u8))
        {
            buffer = buffer[..^1];
        }

        return buffer.ToArray();
    }

    /// <summary>Reads lines (with their end-of-line bytes) from a stream through one reusable buffer.</summary>
    private sealed class LineReader(Stream stream)
    {
        private const int MaxLineBytes = 8 * 1024 * 1024;
        private byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;
        private bool eof;

        public bool ReadLine(out ReadOnlyMemory<byte> line)
        {
            var searchFrom = start;
            while (true)
            {
                var newline = buffer.AsSpan(searchFrom, end - searchFrom).IndexOfAny((byte)'\n', (byte)'\r');
                if (newline >= 0)
                {
                    newline += searchFrom;
                    if (buffer[newline] == (byte)'\r')
                    {
                        if (newline + 1 == end && !eof)
                        {
                            // CR at the end of what was read: the next byte says whether it is CRLF or a lone CR.
                            searchFrom = newline - start;
                            Fill();
                            searchFrom += start;
                            continue;
                        }

                        if (newline + 1 < end && buffer[newline + 1] == (byte)'\n')
                        {
                            newline++;
                        }
                    }

                    line = buffer.AsMemory(start, newline + 1 - start);
                    start = newline + 1;
                    return true;
                }

                if (eof)
                {
                    if (start < end)
                    {
                        line = buffer.AsMemory(start, end - start);
                        start = end;
                        return true;
                    }

                    line = default;
                    return false;
                }

                if (end - start >= MaxLineBytes)
                {
                    // A line longer than 8 MB: hand it out in pieces rather than growing without bound.
                    line = buffer.AsMemory(start, end - start);
                    start = end;
                    return true;
                }

                searchFrom = end - start;
                Fill();
                searchFrom += start;
            }
        }

        private void Fill()
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                eof = true;
            }

            end += read;
        }
    }
}
