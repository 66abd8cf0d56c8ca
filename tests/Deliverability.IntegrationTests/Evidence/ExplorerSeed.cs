using System.Net;
using System.Security.Cryptography;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Logs;

namespace Deliverability.IntegrationTests.Evidence;

/// <summary>Bounces, log lines and complaints written straight into the database for the explorer's tests.</summary>
public sealed class ExplorerSeed
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly Func<DeliverabilityDbContext> _db;
    private int _index;

    private ExplorerSeed(Func<DeliverabilityDbContext> db, long batchId, long fileId, long rawMessageId)
    {
        _db = db;
        BatchId = batchId;
        FileId = fileId;
        RawMessageId = rawMessageId;
    }

    public long BatchId { get; }
    public long FileId { get; }
    public long RawMessageId { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ExplorerSeed> CreateAsync(Func<DeliverabilityDbContext> db)
    {
        await using var context = db();
        var batch = new IngestBatch { CreatedAt = Now, CreatedBy = "tests", Status = IngestStatus.Completed };
        context.IngestBatches.Add(batch);
        await context.SaveChangesAsync(Ct);
        var file = new IngestFile { BatchId = batch.Id, Name = "evidence", Sha256 = RandomNumberGenerator.GetBytes(32), Status = IngestStatus.Completed };
        var raw = new RawMessage { Sha256 = RandomNumberGenerator.GetBytes(32), Gzip = Gzip("From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail\r\n\r\nThe mail system\r\n"), Size = 74, FirstBatchId = batch.Id, ReceivedAt = Now };
        context.IngestFiles.Add(file);
        context.RawMessages.Add(raw);
        await context.SaveChangesAsync(Ct);
        return new ExplorerSeed(db, batch.Id, file.Id, raw.Id);
    }

    public static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    public async Task<long> IpAsync(string address)
    {
        await using var context = _db();
        var ip = new SendingIp { Address = IPAddress.Parse(address), CreatedAt = Now.AddDays(-100) };
        context.SendingIps.Add(ip);
        await context.SaveChangesAsync(Ct);
        return ip.Id;
    }

    public Bounce NewBounce(long? ipId, string recipient, DateTimeOffset at, string reason = BounceReasons.Blocked, string? provider = null, string? code = null,
        string? diagnostic = null, BounceKind kind = BounceKind.Bounce, string? senderDomain = null, long? batchId = null) => new()
    {
        RawMessageId = RawMessageId,
        RecipientIndex = Interlocked.Increment(ref _index),
        BatchId = batchId ?? BatchId,
        SendingIpId = ipId,
        Recipient = recipient,
        RecipientDomain = recipient[(recipient.IndexOf('@', StringComparison.Ordinal) + 1)..],
        Reason = reason,
        HardBounce = kind == BounceKind.Bounce,
        Kind = kind,
        Provider = provider,
        ProviderCode = code,
        Diagnostic = diagnostic,
        SenderDomain = senderDomain,
        ReplyCode = kind == BounceKind.Delay ? 421 : 550,
        OccurredAt = at,
    };

    public MtaLogDelivery NewLogLine(long? ipId, string recipient, DateTimeOffset at, DeliveryStatus status, string? reason = BounceReasons.Blocked,
        string? provider = null, string? code = null, string? reply = null, string? senderDomain = null, long? fileId = null) => new()
    {
        FileId = fileId ?? FileId,
        SendingIpId = ipId,
        LogHost = "mx1",
        Instance = "postfix",
        Program = "postfix/smtp",
        At = at,
        Recipient = recipient,
        QueueId = $"Q{Interlocked.Increment(ref _index):X8}",
        Status = status,
        Provider = provider,
        ProviderCode = code,
        Reason = status == DeliveryStatus.Sent ? null : reason,
        Reply = reply,
        SenderDomain = senderDomain,
        LineHash = RandomNumberGenerator.GetBytes(32),
    };

    public async Task AddAsync(params object[] rows)
    {
        await using var context = _db();
        context.AddRange(rows);
        await context.SaveChangesAsync(Ct);
    }
}
