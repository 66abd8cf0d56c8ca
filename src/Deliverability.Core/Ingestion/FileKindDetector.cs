using System.Net;
using System.Text;
using Deliverability.Core.Bounces;
using Deliverability.Core.Logs;
using Deliverability.Core.Reports;

namespace Deliverability.Core.Ingestion;

/// <summary>What an uploaded file is, from its first bytes: a message, an mbox, an archive, an MTA log, an SNDS export, a DMARC or TLS report, or no evidence at all.</summary>
public static class FileKindDetector
{
    /// <summary>How much of a file's start is read to tell what it is.</summary>
    internal const int HeadBytes = 8192;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>What a file holds, from its first bytes (and its name only to break ties).</summary>
    public static IngestFileKind Detect(ReadOnlySpan<byte> head, string name)
    {
        // Receiver reports come plain, gzipped or zipped: looked into before the container is taken for an archive of messages.
        if (ReportSniffer.Sniff(head) is { } report)
        {
            return report == ReportKind.Dmarc ? IngestFileKind.DmarcReport : IngestFileKind.TlsReport;
        }

        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return IngestFileKind.Zip;
        }

        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return IngestFileKind.Gzip;
        }

        if (MboxReader.LooksLikeMbox(head))
        {
            return IngestFileKind.Mbox;
        }

        var text = Encoding.UTF8.GetString(head.Length > HeadBytes ? head[..HeadBytes] : head);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length > 0 && LooksLikeSnds(lines, out var status))
        {
            return status ? IngestFileKind.SndsIpStatus : IngestFileKind.SndsData;
        }

        if (MtaLogReader.LooksLikeLog(lines))
        {
            return IngestFileKind.MtaLog;
        }

        return IngestFileKind.Message;
    }

    /// <summary>
    /// Why a file is not evidence at all, from its first bytes: an empty archive, or a document or image (by its magic number).
    /// (An empty message file is one message that is an error, as inside an archive.)
    /// Null when it may be a message, an archive, a log or an export.
    /// </summary>
    public static string? NotEvidence(ReadOnlySpan<byte> head, string name, long length)
    {
        if (length == 0 && IsArchiveName(name))
        {
            return $"{name} is an empty archive (0 bytes): there is nothing in it to read.";
        }

        return DocumentKind(head) is { } what ? $"{name} is {what}, not a message or log." : null;
    }

    /// <summary>The kind of document or image a file is, by its format's signature; null for anything else.</summary>
    public static string? DocumentKind(ReadOnlySpan<byte> head) => head switch
    {
        _ when head.StartsWith("%PDF-"u8) => "a PDF document",
        _ when head.StartsWith(PngSignature) => "a PNG image",
        _ when head.StartsWith(JpegSignature) => "a JPEG image",
        _ when head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) => "a GIF image",
        _ when head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) => "a WebP image",
        _ when head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) => "a TIFF image",
        _ when head.StartsWith(OleSignature) => "an Office document (OLE)",
        _ when head.StartsWith("{\\rtf"u8) => "an RTF document",
        _ => null,
    };

    private static bool IsArchiveName(string name) =>
        name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikeSnds(string[] lines, out bool ipStatus)
    {
        ipStatus = false;
        var sample = lines.Where(l => !l.StartsWith("IP", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("First", StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
        if (sample.Count == 0)
        {
            return false;
        }

        var fields = sample[0].Split(',');
        if (fields.Length < 3 || !IPAddress.TryParse(fields[0].Trim('"', ' '), out _))
        {
            return false;
        }

        if (fields.Length is >= 3 and <= 5 && IPAddress.TryParse(fields[1].Trim('"', ' '), out _))
        {
            ipStatus = true;
            return true;
        }

        return fields.Length >= 11 && sample.Any(l => l.Contains("GREEN", StringComparison.Ordinal) || l.Contains("YELLOW", StringComparison.Ordinal) || l.Contains("RED", StringComparison.Ordinal));
    }
}
