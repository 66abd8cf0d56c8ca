using System.Text;
using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Reads a header block that is plainly fields and folded continuations straight from its bytes, taking only the fields
/// <see cref="OriginalMessage"/> reads; anything less plain is left to MimeKit by its callers.
/// </summary>
internal static class PlainHeaderBlock
{
    /// <summary>
    /// The fields of a header block (ending with its blank line) that <see cref="OriginalMessage"/> reads, or null when a
    /// line is not plainly a field or a continuation (no colon, a name with spaces or 8-bit bytes, NUL, a lone CR, a
    /// line of white space, a boundary-like line, a nested report): those blocks are left to MimeKit. With
    /// <paramref name="untilFirstBlankLine"/> the block ends at its first blank line or at the end of the bytes after a
    /// complete line (what MimeKit's header parser reads), else it must end with its one blank line.
    /// </summary>
    public static List<OriginalField>? ReadFields(ReadOnlySpan<byte> block, bool untilFirstBlankLine)
    {
        if (block.IndexOf((byte)0) >= 0 || ContainsIgnoreCase(block, "multipart/report"u8))
        {
            return null;
        }

        var fields = new List<OriginalField>();
        var position = 0;
        var valueStart = -1;
        var id = HeaderId.Unknown;
        var received = false;
        while (position < block.Length)
        {
            var newline = block[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return null;
            }

            var line = block.Slice(position, newline);
            var content = line.EndsWith("\r"u8) ? line[..^1] : line;
            if (content.IndexOf((byte)'\r') >= 0)
            {
                return null;
            }

            if (content.IsEmpty)
            {
                if (valueStart < 0)
                {
                    return null;
                }

                Add(fields, id, block[valueStart..position]);
                return untilFirstBlankLine || position + newline + 1 == block.Length ? fields : null;
            }

            if (content[0] is (byte)' ' or (byte)'\t')
            {
                if (valueStart < 0 || content.IndexOfAnyExcept(" \t"u8) < 0)
                {
                    return null;
                }
            }
            else
            {
                var colon = content.IndexOf((byte)':');
                if (colon <= 0 || content.StartsWith("--"u8) || content[..colon].IndexOfAnyExceptInRange((byte)33, (byte)126) >= 0)
                {
                    return null;
                }

                if (valueStart >= 0)
                {
                    Add(fields, id, block[valueStart..position]);
                }

                id = FieldId(content[..colon], ref received);
                valueStart = position + colon + 1;
            }

            position += newline + 1;
        }

        if (untilFirstBlankLine && valueStart >= 0)
        {
            Add(fields, id, block[valueStart..]);
            return fields;
        }

        return null;
    }

    private static void Add(List<OriginalField> fields, HeaderId id, ReadOnlySpan<byte> rawValue)
    {
        if (id != HeaderId.Unknown)
        {
            fields.Add(new OriginalField(id, Encoding.Latin1.GetString(rawValue).Trim()));
        }
    }

    /// <summary>The id of a field <see cref="OriginalMessage"/> reads (only the first Received), else Unknown.</summary>
    private static HeaderId FieldId(ReadOnlySpan<byte> name, ref bool received)
    {
        foreach (var candidate in OriginalMessage.ReadFields)
        {
            if (Ascii.EqualsIgnoreCase(name, FieldNames[candidate]))
            {
                if (candidate == HeaderId.Received)
                {
                    if (received)
                    {
                        return HeaderId.Unknown;
                    }

                    received = true;
                }

                return candidate;
            }
        }

        return HeaderId.Unknown;
    }

    private static readonly Dictionary<HeaderId, byte[]> FieldNames = OriginalMessage.ReadFields.ToDictionary(
        id => id, id => Encoding.ASCII.GetBytes(id.ToHeaderName()));

    public static bool ContainsIgnoreCase(ReadOnlySpan<byte> span, ReadOnlySpan<byte> lowerCaseWord) => IndexOfIgnoreCase(span, lowerCaseWord) >= 0;

    /// <summary>Where an ASCII word written in lower case occurs, in any case, or -1.</summary>
    public static int IndexOfIgnoreCase(ReadOnlySpan<byte> span, ReadOnlySpan<byte> lowerCaseWord)
    {
        var first = lowerCaseWord[0];
        var offset = 0;
        while (offset <= span.Length - lowerCaseWord.Length)
        {
            var found = span[offset..].IndexOfAny(first, (byte)(first - 32));
            if (found < 0 || offset + found > span.Length - lowerCaseWord.Length)
            {
                return -1;
            }

            if (Ascii.EqualsIgnoreCase(span.Slice(offset + found, lowerCaseWord.Length), lowerCaseWord))
            {
                return offset + found;
            }

            offset += found + 1;
        }

        return -1;
    }
}
