using System.IO.Compression;
using System.Net;
using System.Text;
using Deliverability.Core.Bounces;
using Deliverability.Core.Logs;

namespace Deliverability.Core.Ingestion;

/// <summary>A message found in an uploaded file (or why the one at this position could not be read).</summary>
public sealed record ExtractedMessage(int Ordinal, string Path, byte[]? Raw, string? Error);

/// <summary>The whole file cannot be read (a zip bomb, a corrupt archive): nothing in it is ingested, and the reason is shown.</summary>
public sealed class InvalidUploadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads an uploaded file as what it is: one message, an mbox, a zip or gzip of those, an MTA log or an SNDS export.
/// Archives are expanded with limits (size, ratio, entries) checked on the bytes actually read, so zip bombs are refused.
/// </summary>
public sealed class UploadedFileReader(IngestOptions options)
{
    private const int HeadBytes = 8192;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>Copies a stream into a temporary, seekable file that deletes itself when disposed.</summary>
    public static async Task<FileStream> SpoolAsync(Stream source, long maxBytes, string limitName, CancellationToken ct)
    {
        var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                if (spool.Length + read > maxBytes)
                {
                    throw new InvalidUploadException($"{limitName}: it is larger than the limit of {FormatBytes(maxBytes)}.");
                }

                await spool.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KB",
        _ => $"{bytes} bytes",
    };

    /// <summary>What a file holds, from its first bytes (and its name only to break ties).</summary>
    public static IngestFileKind Detect(ReadOnlySpan<byte> head, string name)
    {
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

    /// <summary>Reads the messages of a message, mbox, zip or gzip file, in a stable order (the ordinal is the resume point).</summary>
    public async IAsyncEnumerable<ExtractedMessage> ReadMessagesAsync(
        FileStream file, string name, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var ordinal = 0;
        await foreach (var message in ReadAsync(file, name, depth: 0, ct))
        {
            yield return message with { Ordinal = ordinal++ };
        }
    }

    private async IAsyncEnumerable<ExtractedMessage> ReadAsync(
        FileStream file, string path, int depth, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var kind = Detect(await ReadHeadAsync(file, ct), path);
        switch (kind)
        {
            case IngestFileKind.Zip when depth > 0:
                yield return new ExtractedMessage(0, path, null, "a zip inside an archive is not read: upload it on its own");
                break;
            case IngestFileKind.Zip:
                await foreach (var m in ReadZipAsync(file, path, ct))
                {
                    yield return m;
                }

                break;
            case IngestFileKind.Gzip when depth > 1:
                yield return new ExtractedMessage(0, path, null, "nested compression is not read");
                break;
            case IngestFileKind.Gzip:
                FileStream inner;
                await using (var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
                {
                    inner = await SpoolExpandedAsync(gzip, file.Length, path, ct);
                }

                await using (inner)
                {
                    if (inner.Length == 0)
                    {
                        throw new InvalidUploadException($"{path} is an empty archive: it expands to nothing.");
                    }

                    await foreach (var m in ReadAsync(inner, StripGz(path), depth + 1, ct))
                    {
                        yield return m;
                    }
                }

                break;
            case IngestFileKind.Mbox:
                foreach (var message in MboxReader.Read(file))
                {
                    ct.ThrowIfCancellationRequested();
                    yield return new ExtractedMessage(0, $"{path}#{message.Index}", message.Raw, null);
                }

                break;
            case IngestFileKind.MtaLog or IngestFileKind.SndsData or IngestFileKind.SndsIpStatus when depth > 0:
                yield return new ExtractedMessage(0, path, null, "MTA logs and SNDS exports are read when uploaded on their own, not inside an archive");
                break;
            case IngestFileKind.Message when DocumentKind(await ReadHeadAsync(file, ct)) is { } document:
                yield return new ExtractedMessage(0, path, null, $"{document}, not a message or log");
                break;
            default:
                var raw = new byte[file.Length];
                await file.ReadExactlyAsync(raw, ct);
                yield return new ExtractedMessage(0, path, raw, null);
                break;
        }
    }

    private async IAsyncEnumerable<ExtractedMessage> ReadZipAsync(
        FileStream file, string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidUploadException($"{path} is not a readable zip file: {e.Message}", e);
        }

        using (zip)
        {
            var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/') && !e.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)
                                                 && !e.Name.Equals(".DS_Store", StringComparison.Ordinal)).ToList();
            if (entries.Count > options.MaxArchiveEntries)
            {
                throw new InvalidUploadException($"{path} holds {entries.Count} files; the limit is {options.MaxArchiveEntries}.");
            }

            if (entries.Count == 0)
            {
                throw new InvalidUploadException($"{path} is an empty archive: it holds no files.");
            }

            var declared = entries.Sum(e => e.Length);
            if (declared > options.MaxExpandedBytes)
            {
                throw new InvalidUploadException($"{path} would expand to {FormatBytes(declared)}, more than the limit of {FormatBytes(options.MaxExpandedBytes)}: refused as a possible zip bomb.");
            }

            long expanded = 0;
            foreach (var entry in entries)
            {
                var entryPath = $"{path}/{entry.FullName}";
                if (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > options.MaxCompressionRatio)
                {
                    throw new InvalidUploadException($"{entryPath} expands {entry.Length / entry.CompressedLength} times (limit {options.MaxCompressionRatio}): refused as a possible zip bomb.");
                }

                FileStream? spooled = null;
                string? error = null;
                try
                {
                    await using var entryStream = entry.Open();
                    spooled = await SpoolAsync(new LengthLimitedStream(entryStream, entry.Length), options.MaxExpandedBytes - expanded,
                        $"{entryPath} refused as a possible zip bomb", ct);
                    expanded += spooled.Length;
                }
                catch (InvalidDataException e)
                {
                    error = $"unreadable zip entry: {e.Message}";
                }

                if (spooled is null)
                {
                    yield return new ExtractedMessage(0, entryPath, null, error);
                    continue;
                }

                await using (spooled)
                {
                    await foreach (var m in ReadAsync(spooled, entryPath, depth: 1, ct))
                    {
                        yield return m;
                    }
                }
            }
        }
    }

    private async Task<FileStream> SpoolExpandedAsync(Stream decompressing, long compressedLength, string path, CancellationToken ct)
    {
        var limit = Math.Min(options.MaxExpandedBytes, Math.Max(1L << 20, compressedLength * options.MaxCompressionRatio));
        try
        {
            return await SpoolAsync(decompressing, limit, $"{path} refused as a possible zip bomb (it expands beyond {FormatBytes(limit)})", ct);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidUploadException($"{path} is not a readable gzip file: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadHeadAsync(FileStream file, CancellationToken ct)
    {
        file.Position = 0;
        var head = new byte[(int)Math.Min(HeadBytes, file.Length)];
        await file.ReadExactlyAsync(head, ct);
        file.Position = 0;
        return head;
    }

    private static string StripGz(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;

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

    /// <summary>Stops a zip entry that claims one size and inflates to more.</summary>
    private sealed class LengthLimitedStream(Stream inner, long declaredLength) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            return Count(n);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        private int Count(int n)
        {
            _read += n;
            if (_read > declaredLength)
            {
                throw new InvalidUploadException("a zip entry expands beyond the size it declares: refused as a possible zip bomb.");
            }

            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
