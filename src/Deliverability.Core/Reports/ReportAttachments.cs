using MimeKit;

namespace Deliverability.Core.Reports;

/// <summary>
/// Finds the reports attached to a mail: receivers send DMARC aggregate reports as application/zip or application/gzip (sometimes
/// text/xml or application/octet-stream) and TLS reports as application/tlsrpt+gzip or +json (RFC 8460 section 5.3). An attachment counts
/// when its content is a report (<see cref="ReportSniffer"/>), whatever its declared type.
/// </summary>
public static class ReportAttachments
{
    private static readonly byte[][] Markers =
    [
        "application/zip"u8.ToArray(), "application/x-zip"u8.ToArray(), "application/gzip"u8.ToArray(), "application/x-gzip"u8.ToArray(),
        "application/tlsrpt"u8.ToArray(), "application/xml"u8.ToArray(), "text/xml"u8.ToArray(), "application/octet-stream"u8.ToArray(),
        "Application/Zip"u8.ToArray(), "Application/Gzip"u8.ToArray(), "APPLICATION/"u8.ToArray(),
    ];

    /// <summary>A cheap look at the bytes: false when no part of the mail can be a report (most bounces), so MIME is parsed only when needed.</summary>
    public static bool MayHold(ReadOnlySpan<byte> raw)
    {
        foreach (var marker in Markers)
        {
            if (raw.IndexOf(marker) >= 0) return true;
        }

        return false;
    }

    /// <summary>The report attachments of a mail (name and decoded bytes); empty for a mail that is not MIME or holds none.</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> Find(byte[] raw)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(raw, writable: false));
        }
        catch (FormatException)
        {
            return [];
        }

        using (message)
        {
            var found = new List<(string, byte[])>();
            var index = 0;
            foreach (var part in message.BodyParts.OfType<MimePart>())
            {
                index++;
                if (part.Content is null || part.ContentType.MimeType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)
                    || part.ContentType.MimeType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                using var decoded = new MemoryStream();
                part.Content.DecodeTo(decoded);
                var bytes = decoded.ToArray();
                if (ReportSniffer.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, 8192))) is not null)
                {
                    found.Add((part.FileName ?? $"attachment-{index}", bytes));
                }
            }

            return found;
        }
    }
}
