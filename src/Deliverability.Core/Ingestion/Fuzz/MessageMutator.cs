using System.Text;

namespace Deliverability.Core.Ingestion.Fuzz;

/// <summary>
/// Damages messages the ways real mail and real mail tools do (and a few ways an attacker would): NUL and 8-bit bytes,
/// encoded words that decode to NUL or broken UTF-16, CR-only or mixed line ends, leading blank lines and byte order
/// marks, lost headers, truncation, repeated or removed slices, broken MIME boundaries, overlong lines and header values.
/// Deterministic for a seed, so a failing case can be made again.
/// </summary>
public sealed class MessageMutator(int seed)
{
    private readonly Random _random = new(seed);

    public delegate byte[] Mutation(byte[] message, Random random);

    /// <summary>Every mutation, by name (the name is printed with a failing case).</summary>
    public static readonly IReadOnlyList<(string Name, Mutation Apply)> Mutations =
    [
        ("nul-bytes", (m, r) => InsertAt(m, r, "\0"u8.ToArray(), r.Next(1, 6))),
        ("high-bytes", (m, r) => Flip(m, r, r.Next(1, 20), () => (byte)r.Next(0x80, 0x100))),
        ("control-bytes", (m, r) => Flip(m, r, r.Next(1, 20), () => (byte)r.Next(0x00, 0x20))),
        ("encoded-word-nul", (m, r) => ReplaceHeader(m, "Subject", "=?utf-8?q?Undelivered=00Mail?=")),
        ("encoded-word-surrogate", (m, r) => ReplaceHeader(m, "Subject", "=?utf-16be?b?2D0AQQ==?=")),
        ("encoded-word-unknown-charset", (m, r) => ReplaceHeader(m, "Subject", "=?x-no-such-charset?b?AAECAwQ=?=")),
        ("cesu-surrogate", (m, r) => InsertAt(m, r, [0xED, 0xA0, 0x80], r.Next(1, 4))),
        ("cr-line-ends", (m, r) => LineEnds(m, "\r")),
        ("crlf-line-ends", (m, r) => LineEnds(m, "\r\n")),
        ("mixed-line-ends", (m, r) => MixedLineEnds(m, r)),
        ("leading-blank-lines", (m, r) => [.. Encoding.ASCII.GetBytes(new string('\n', r.Next(1, 4))), .. m]),
        ("byte-order-mark", (m, r) => [0xEF, 0xBB, 0xBF, .. m]),
        ("no-headers", (m, r) => AfterFirstBlankLine(m)),
        ("truncated", (m, r) => m.Length == 0 ? m : m[..r.Next(0, m.Length)]),
        ("slice-repeated", (m, r) => RepeatSlice(m, r)),
        ("slice-removed", (m, r) => RemoveSlice(m, r)),
        ("boundary-broken", (m, r) => Replace(m, "boundary=", "boundary=x")),
        ("overlong-line", (m, r) => InsertAt(m, r, Encoding.ASCII.GetBytes(new string('A', r.Next(1000, 200_000))), 1)),
        ("overlong-header", (m, r) => ReplaceHeader(m, "Message-ID", "<" + new string('x', r.Next(2000, 20_000)) + "@example.org>")),
        ("mbox-from-line-only", (m, r) => "From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n"u8.ToArray()),
        ("mbox-from-line-first", (m, r) => [.. "From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n"u8, .. m]),
        ("empty", (m, r) => []),
        ("whitespace-only", (m, r) => "\n \r\n\t\n"u8.ToArray()),
    ];

    /// <summary>One to three mutations of the message, and their names.</summary>
    public (byte[] Message, string Mutations) Mutate(byte[] message)
    {
        var count = _random.Next(1, 4);
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var (name, apply) = Mutations[_random.Next(Mutations.Count)];
            message = apply(message, _random);
            names.Add(name);
        }

        return (message, string.Join('+', names));
    }

    public int Next(int max) => _random.Next(max);

    private static byte[] InsertAt(byte[] m, Random r, byte[] insert, int times)
    {
        var result = new List<byte>(m);
        for (var i = 0; i < times; i++)
        {
            result.InsertRange(r.Next(0, result.Count + 1), insert);
        }

        return [.. result];
    }

    private static byte[] Flip(byte[] m, Random r, int times, Func<byte> value)
    {
        var result = (byte[])m.Clone();
        for (var i = 0; i < times && result.Length > 0; i++)
        {
            result[r.Next(result.Length)] = value();
        }

        return result;
    }

    private static byte[] LineEnds(byte[] m, string eol) =>
        Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(m).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", eol, StringComparison.Ordinal));

    private static byte[] MixedLineEnds(byte[] m, Random r)
    {
        var lines = Encoding.Latin1.GetString(m).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var text = new StringBuilder();
        string[] ends = ["\n", "\r\n", "\r"];
        for (var i = 0; i < lines.Length; i++)
        {
            text.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                text.Append(ends[r.Next(ends.Length)]);
            }
        }

        return Encoding.Latin1.GetBytes(text.ToString());
    }

    private static byte[] AfterFirstBlankLine(byte[] m)
    {
        var text = Encoding.Latin1.GetString(m).Replace("\r\n", "\n", StringComparison.Ordinal);
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        return blank < 0 ? m : Encoding.Latin1.GetBytes(text[(blank + 2)..]);
    }

    private static byte[] RepeatSlice(byte[] m, Random r)
    {
        if (m.Length == 0)
        {
            return m;
        }

        var start = r.Next(m.Length);
        var length = r.Next(1, Math.Min(4096, m.Length - start) + 1);
        return [.. m[..(start + length)], .. m[start..]];
    }

    private static byte[] RemoveSlice(byte[] m, Random r)
    {
        if (m.Length == 0)
        {
            return m;
        }

        var start = r.Next(m.Length);
        var length = r.Next(1, Math.Min(4096, m.Length - start) + 1);
        return [.. m[..start], .. m[(start + length)..]];
    }

    private static byte[] Replace(byte[] m, string what, string with) =>
        Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(m).Replace(what, with, StringComparison.OrdinalIgnoreCase));

    /// <summary>The header's value replaced (or the header added on top when the message has none).</summary>
    private static byte[] ReplaceHeader(byte[] m, string header, string value)
    {
        var text = Encoding.Latin1.GetString(m);
        var at = text.StartsWith(header + ":", StringComparison.OrdinalIgnoreCase) ? 0 : text.IndexOf("\n" + header + ":", StringComparison.OrdinalIgnoreCase) + 1;
        if (at <= 0 && !text.StartsWith(header + ":", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.Latin1.GetBytes($"{header}: {value}\n{text}");
        }

        var end = text.IndexOf('\n', at);
        return Encoding.Latin1.GetBytes(text[..at] + $"{header}: {value}" + (end < 0 ? "" : text[end..]));
    }
}
