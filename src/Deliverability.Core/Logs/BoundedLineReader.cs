using System.Text;

namespace Deliverability.Core.Logs;

/// <summary>
/// Reads lines (LF, CRLF or CR) without ever holding more than <c>maxLength</c> characters of one line:
/// the rest of an overlong line is read and thrown away.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] buffer = new char[8192];
    private readonly StringBuilder line = new();
    private int position;
    private int filled;
    private bool skipLineFeed;

    /// <summary>Reads the next line; false at the end of the input.</summary>
    public bool TryRead(out string text, out bool tooLong, out bool unterminated)
    {
        line.Clear();
        tooLong = false;
        unterminated = false;
        var any = false;
        while (true)
        {
            if (position == filled)
            {
                filled = reader.Read(buffer, 0, buffer.Length);
                position = 0;
                if (filled == 0)
                {
                    text = line.ToString();
                    unterminated = any;
                    return any;
                }
            }

            if (skipLineFeed)
            {
                skipLineFeed = false;
                if (buffer[position] == '\n')
                {
                    position++;
                    continue;
                }
            }

            var start = position;
            while (position < filled && buffer[position] is not ('\n' or '\r'))
            {
                position++;
            }

            any |= position > start;
            Append(start, position - start, ref tooLong);
            if (position < filled)
            {
                skipLineFeed = buffer[position] == '\r';
                position++;
                text = line.ToString();
                return true;
            }
        }
    }

    private void Append(int start, int count, ref bool tooLong)
    {
        var room = maxLength - line.Length;
        if (count > room)
        {
            tooLong = true;
            count = Math.Max(0, room);
        }

        line.Append(buffer, start, count);
    }
}
