using System.Text;
using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>Turns MIME parts into bounded text, tolerating unknown and misspelled charsets.</summary>
internal static class TextDecoding
{
    /// <summary>
    /// Only the start of each part is scanned: bounce texts are short, attachments can be huge. 40 KB keeps the decoded
    /// strings under the large-object-heap threshold (85,000 bytes), which only full collections reclaim.
    /// </summary>
    public const int MaxPartBytes = 40 * 1024;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);
    private static readonly Encoding Latin1 = Encoding.Latin1;

    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Makes sure code pages (shift_jis, windows-125x, ...) are registered; safe to call repeatedly.</summary>
    public static void EnsureRegistered()
    {
        // The static constructor does the work.
    }

    [ThreadStatic]
    private static CappedStream? scratch;

    public static string DecodePart(MimePart part, int maxBytes = MaxPartBytes)
    {
        var output = DecodeInto(part, maxBytes);
        return Decode(output.GetBuffer().AsSpan(0, (int)output.Length), part.ContentType?.Charset);
    }

    public static byte[] DecodedBytes(MimePart part, int maxBytes = MaxPartBytes) => DecodeInto(part, maxBytes).ToArray();

    /// <summary>Decodes the part's content into a per-thread buffer that is reused from one part to the next.</summary>
    private static CappedStream DecodeInto(MimePart part, int maxBytes)
    {
        var output = scratch ??= new CappedStream();
        output.Reset(maxBytes);
        if (part.Content is null)
        {
            return output;
        }

        try
        {
            part.Content.DecodeTo(output);
        }
        catch (CapReachedException)
        {
            // Enough text.
        }

        return output;
    }

    public static string Decode(ReadOnlySpan<byte> bytes, string? charset)
    {
        var encoding = Resolve(charset);
        if (encoding?.CodePage is 50220 or 50221 or 50222 && bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0 && EightBitJapanese(bytes) is { } japanese)
        {
            // ISO-2022-JP is a 7-bit encoding (RFC 1468): 8-bit bytes under that label are text in one of the 8-bit
            // encodings Japanese mailers write, UTF-8, EUC-JP or Shift_JIS, tried strictly in that order (a Shift_JIS lead
            // byte 0x81-0x9F is not EUC-JP, so EUC-JP text is not mistaken for Shift_JIS).
            return japanese;
        }

        if (encoding is not null)
        {
            try
            {
                return encoding.GetString(bytes);
            }
            catch (ArgumentException)
            {
                // Fall through to the guesses below.
            }
        }

        if (LooksLikeIso2022Jp(bytes))
        {
            var jis = Resolve("iso-2022-jp");
            if (jis is not null)
            {
                return jis.GetString(bytes);
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            return Latin1.GetString(bytes);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Encoding?> Resolved = new(StringComparer.OrdinalIgnoreCase);

    public static Encoding? Resolve(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        if (Resolved.TryGetValue(charset, out var cached))
        {
            return cached;
        }

        var encoding = ResolveUncached(charset);
        if (Resolved.Count < 1000)
        {
            Resolved.TryAdd(charset, encoding);
        }

        return encoding;
    }

    private static Encoding? ResolveUncached(string charset)
    {
        var name = charset.Trim().Trim('"', '\'').ToLowerInvariant();
        if (name is "iso-8859-1" or "iso8859-1" or "iso_8859-1" or "latin1" or "latin-1" or "l1")
        {
            // Text labelled Latin-1 is written by Windows programs in windows-1252 (curly quotes, dashes and the euro sign
            // in 0x80-0x9F, which Latin-1 leaves as control characters); the WHATWG Encoding Standard decodes that label so.
            name = "windows-1252";
        }

        foreach (var candidate in Candidates(name))
        {
            if (candidate is "utf-7" or "utf7" or "unicode-1-1-utf-7" or "x-unicode20utf7")
            {
                return Utf7Decoding.Instance;
            }

            try
            {
                return int.TryParse(candidate, out var codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(candidate);
            }
            catch (NotSupportedException)
            {
            }
            catch (ArgumentException)
            {
            }
        }

        return null;
    }

    private static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        var fixedName = name.Replace('_', '-');
        if (fixedName != name)
        {
            yield return fixedName;
        }

        // Common misspellings seen in the wild.
        if (name.Contains("jis", StringComparison.Ordinal) && name.Contains("shift", StringComparison.Ordinal))
        {
            yield return "shift_jis";
        }

        if (name.StartsWith("iso-2022-jp", StringComparison.Ordinal) || name.StartsWith("iso2022jp", StringComparison.Ordinal))
        {
            yield return "iso-2022-jp";
        }

        if (name.StartsWith("utf8", StringComparison.Ordinal) || name.StartsWith("utf-8", StringComparison.Ordinal))
        {
            yield return "utf-8";
        }

        if (name.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(name.AsSpan(2).TrimStart('-'), out var cp))
        {
            yield return cp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (name is "ms932" or "windows-31j" or "sjis" or "x-sjis" or "ms_kanji")
        {
            yield return "shift_jis";
        }

        if (name.StartsWith("windows", StringComparison.Ordinal) && !name.StartsWith("windows-", StringComparison.Ordinal))
        {
            yield return "windows-" + name["windows".Length..].TrimStart('-', '_', ' ');
        }

        if (name.StartsWith("iso8859", StringComparison.Ordinal))
        {
            yield return "iso-8859-" + name["iso8859".Length..].TrimStart('-', '_');
        }

        if (name is "ascii" or "us_ascii" or "ansi_x3.4-1968" or "x-unknown" or "unknown-8bit" or "default")
        {
            yield return "windows-1252";
        }

        if (name.Contains("euc", StringComparison.Ordinal) && name.Contains("jp", StringComparison.Ordinal))
        {
            yield return "euc-jp";
        }
    }

    // Built on first use: the code pages exist only once the static constructor has registered their provider.
    private static Encoding[]? strictJapanese;

    private static string? EightBitJapanese(ReadOnlySpan<byte> bytes)
    {
        strictJapanese ??=
        [
            StrictUtf8,
            Encoding.GetEncoding(51932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
            Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        ];
        foreach (var encoding in strictJapanese)
        {
            try
            {
                return encoding.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
            }
            catch (ArgumentException)
            {
            }
        }

        return null;
    }

    private static bool LooksLikeIso2022Jp(ReadOnlySpan<byte> bytes)
    {
        var limit = Math.Min(bytes.Length, 4096);
        return bytes[..limit].IndexOf("\u001b$B"u8) >= 0;
    }

    private sealed class CapReachedException : Exception;

    /// <summary>A write-only stream that stops (by throwing a private exception) once it holds enough bytes.</summary>
    private sealed class CappedStream : MemoryStream
    {
        private int cap;

        public void Reset(int newCap)
        {
            cap = newCap;
            SetLength(0);
            if (Capacity > 1024 * 1024)
            {
                Capacity = 64 * 1024;
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            var room = cap - (int)Length;
            if (count > room)
            {
                base.Write(buffer, offset, Math.Max(room, 0));
                throw new CapReachedException();
            }

            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = cap - (int)Length;
            if (buffer.Length > room)
            {
                base.Write(buffer[..Math.Max(room, 0)]);
                throw new CapReachedException();
            }

            base.Write(buffer);
        }
    }
}
