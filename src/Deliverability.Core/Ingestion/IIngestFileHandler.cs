namespace Deliverability.Core.Ingestion;

/// <summary>Imports a file that is not made of messages (an MTA log, an SNDS export) inside one transaction; file.Kind is already detected.</summary>
public interface IIngestFileHandler
{
    bool Handles(IngestFileKind kind);

    Task IngestAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct);

    /// <summary>Reads a stored file again with the current readers, replacing what it brought (re-parse).</summary>
    Task ReparseAsync(IngestBatch batch, IngestFile file, FileStream content, CancellationToken ct);
}
