using System.IO.Compression;
using System.Text;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Evidence;

/// <summary>A stored message as text for reading: its headers and the first <c>maxBytes</c> of the whole message.</summary>
public sealed record RawMessageText(string Headers, string Whole, int Size, int Shown)
{
    public bool Truncated => Size > Shown;

    /// <summary>Null when the message is no longer stored.</summary>
    public static async Task<RawMessageText?> LoadAsync(DeliverabilityDbContext db, long rawMessageId, int maxBytes, CancellationToken ct)
    {
        var message = await db.RawMessages.AsNoTracking().Where(m => m.Id == rawMessageId).Select(m => new { m.Gzip, m.Size }).SingleOrDefaultAsync(ct);
        if (message is null)
        {
            return null;
        }

        await using var gzip = new GZipStream(new MemoryStream(message.Gzip), CompressionMode.Decompress);
        var buffer = new byte[Math.Min(message.Size, maxBytes)];
        var read = await gzip.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        // Latin-1 keeps every byte of 8-bit headers visible instead of replacing invalid UTF-8 with '?'.
        var text = System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, read)) ? Encoding.UTF8.GetString(buffer, 0, read) : Encoding.Latin1.GetString(buffer, 0, read);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is >= 0 and var crlf ? crlf : text.IndexOf("\n\n", StringComparison.Ordinal);
        return new RawMessageText(end >= 0 ? text[..end] : text, text, message.Size, read);
    }
}
