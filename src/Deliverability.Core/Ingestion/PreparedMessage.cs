using System.IO.Compression;
using System.Security.Cryptography;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Ingestion;

/// <summary>A message read from an upload, hashed, and (unless it is a duplicate) parsed and compressed.</summary>
public sealed class PreparedMessage
{
    public required int Ordinal { get; init; }
    public required string Path { get; init; }
    public byte[]? Sha256 { get; init; }
    public int Size { get; init; }
    public string? ExtractError { get; init; }
    public bool Duplicate { get; set; }
    public byte[]? Gzip { get; set; }
    public ParsedMessage? Parsed { get; set; }
    public DateTimeOffset? Date { get; set; }
    public string? Subject { get; set; }

    public static PreparedMessage From(ExtractedMessage extracted) => extracted.Raw is null
        ? new PreparedMessage { Ordinal = extracted.Ordinal, Path = extracted.Path, ExtractError = extracted.Error ?? "unreadable" }
        : new PreparedMessage { Ordinal = extracted.Ordinal, Path = extracted.Path, Sha256 = SHA256.HashData(extracted.Raw), Size = extracted.Raw.Length };

    /// <summary>CPU work of one message: parse, read its date and subject, compress. Runs in parallel across a chunk.</summary>
    public void Prepare(BounceParser parser, byte[] raw)
    {
        Parsed = parser.Parse(raw);
        Date = Parsed.Date;
        Subject = Parsed.Subject is { } subject ? Truncate(subject.Trim(), 500) : null;
        using var buffer = new MemoryStream(raw.Length / 3 + 64);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        Gzip = buffer.ToArray();
    }

    /// <summary>This message as an error of its own (PostgreSQL refused what it holds): counted and listed, nothing else written.</summary>
    public PreparedMessage AsUnstorable(string error) => new() { Ordinal = Ordinal, Path = Path, ExtractError = error };

    internal static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>What one chunk added to the batch's counters.</summary>
public sealed record ChunkCounts(int Messages, int Parsed, int Duplicates, int NotBounces, int Errors, int Bounces, int Complaints);
