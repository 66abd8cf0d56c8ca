using System.IO.Compression;
using Deliverability.Core.Bounces;

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
        var kind = FileKindDetector.Detect(await ReadHeadAsync(file, ct), path);
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
            case IngestFileKind.DmarcReport or IngestFileKind.TlsReport when depth > 0:
                yield return new ExtractedMessage(0, path, null, "a DMARC or TLS report inside an archive of messages is not read: upload it on its own (or a zip of reports only)");
                break;
            case IngestFileKind.MtaLog or IngestFileKind.SndsData or IngestFileKind.SndsIpStatus when depth > 0:
                yield return new ExtractedMessage(0, path, null, "MTA logs and SNDS exports are read when uploaded on their own, not inside an archive");
                break;
            case IngestFileKind.Message when FileKindDetector.DocumentKind(await ReadHeadAsync(file, ct)) is { } document:
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
        var head = new byte[(int)Math.Min(FileKindDetector.HeadBytes, file.Length)];
        await file.ReadExactlyAsync(head, ct);
        file.Position = 0;
        return head;
    }

    private static string StripGz(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
}
