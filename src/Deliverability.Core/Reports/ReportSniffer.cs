using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Deliverability.Core.Reports;

/// <summary>The kinds of receiver report read here.</summary>
public enum ReportKind { Dmarc, Tls }

/// <summary>
/// Tells a receiver report from its first bytes, also when it is gzip-compressed or the first entry of a zip (the forms receivers send):
/// DMARC aggregate XML (root element feedback, in any namespace) or RFC 8460 JSON (organization-name and policies).
/// </summary>
public static partial class ReportSniffer
{
    private const int PeekBytes = 4096;

    public static ReportKind? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return SniffText(Inflate(new GZipStream(new MemoryStream(head.ToArray()), CompressionMode.Decompress)));
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return SniffZipEntry(head);
        }

        return SniffText(head);
    }

    /// <summary>Plain text: XML whose first element is feedback, or a JSON object with TLS-RPT's fields near its start.</summary>
    public static ReportKind? SniffText(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head.Length > PeekBytes ? head[..PeekBytes] : head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n', '\0');
        if (text.StartsWith('<'))
        {
            return FeedbackRoot().IsMatch(text) ? ReportKind.Dmarc : null;
        }

        if (text.StartsWith('{') && text.Contains("\"organization-name\"", StringComparison.Ordinal)
            && (text.Contains("\"policies\"", StringComparison.Ordinal) || text.Contains("\"report-id\"", StringComparison.Ordinal)))
        {
            return ReportKind.Tls;
        }

        return null;
    }

    /// <summary>A zip's first local file entry (stored or deflated), read from the head alone; a gzip inside it is looked into too.</summary>
    private static ReportKind? SniffZipEntry(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30) return null;
        var method = BinaryPrimitives.ReadUInt16LittleEndian(head[8..]);
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(head[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(head[28..]);
        var start = 30 + nameLength + extraLength;
        if (start >= head.Length) return null;
        var data = head[start..];
        byte[] content = method switch
        {
            0 => data.ToArray(),
            8 => Inflate(new DeflateStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress)),
            _ => [],
        };

        return content.Length >= 2 && content[0] == 0x1f && content[1] == 0x8b
            ? SniffText(Inflate(new GZipStream(new MemoryStream(content), CompressionMode.Decompress)))
            : SniffText(content);
    }

    /// <summary>What a truncated compressed head expands to, as far as it goes.</summary>
    private static byte[] Inflate(Stream decompressing)
    {
        using (decompressing)
        {
            var buffer = new byte[PeekBytes];
            var length = 0;
            try
            {
                int read;
                while (length < buffer.Length && (read = decompressing.Read(buffer, length, buffer.Length - length)) > 0)
                {
                    length += read;
                }
            }
            catch (InvalidDataException)
            {
            }
            catch (EndOfStreamException)
            {
            }

            return buffer[..length];
        }
    }

    [GeneratedRegex(@"\A(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<([A-Za-z_][\w.\-]*:)?feedback[\s>/]", RegexOptions.Singleline)]
    private static partial Regex FeedbackRoot();
}
