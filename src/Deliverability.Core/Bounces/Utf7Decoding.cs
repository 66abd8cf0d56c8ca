using System.Text;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Decoder for UTF-7 (RFC 2152), which .NET no longer hands out by name. Decoding only: the parser never writes UTF-7.
/// </summary>
internal sealed class Utf7Decoding : Encoding
{
    public static readonly Utf7Decoding Instance = new();

    public override int GetByteCount(char[] chars, int index, int count) => throw new NotSupportedException();

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) => throw new NotSupportedException();

    public override int GetMaxByteCount(int charCount) => charCount * 5;

    public override int GetMaxCharCount(int byteCount) => byteCount;

    public override int GetCharCount(byte[] bytes, int index, int count) => DecodeToString(bytes.AsSpan(index, count)).Length;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        var text = DecodeToString(bytes.AsSpan(byteIndex, byteCount));
        text.CopyTo(0, chars, charIndex, text.Length);
        return text.Length;
    }

    public override string GetString(byte[] bytes, int index, int count) => DecodeToString(bytes.AsSpan(index, count));

    public static string DecodeToString(ReadOnlySpan<byte> bytes)
    {
        var output = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b != (byte)'+')
            {
                output.Append((char)b);
                i++;
                continue;
            }

            i++;
            if (i < bytes.Length && bytes[i] == (byte)'-')
            {
                output.Append('+');
                i++;
                continue;
            }

            // Modified base64 run of UTF-16BE code units.
            var bits = 0;
            var bitCount = 0;
            while (i < bytes.Length && Base64Value(bytes[i]) is var value && value >= 0)
            {
                bits = (bits << 6) | value;
                bitCount += 6;
                if (bitCount >= 16)
                {
                    bitCount -= 16;
                    output.Append((char)((bits >> bitCount) & 0xFFFF));
                }

                i++;
            }

            if (i < bytes.Length && bytes[i] == (byte)'-')
            {
                i++;
            }
        }

        return output.ToString();
    }

    private static int Base64Value(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };
}
