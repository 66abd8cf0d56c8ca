using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Delisting;
using System.Net;
using System.Security.Cryptography;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>Writes evidence for one sending IP straight into the database, and runs the diagnosis with a fixed clock.</summary>
public sealed class DiagnosisSeed(Func<DeliverabilityDbContext> db, long sendingIpId, long batchId, long fileId, long rawMessageId)
{
    private int _recipient;

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public long SendingIpId { get; } = sendingIpId;
    public long BatchId { get; } = batchId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<DiagnosisSeed> CreateAsync(Func<DeliverabilityDbContext> db, string address)
    {
        await using var context = db();
        var ip = new SendingIp { Address = IPAddress.Parse(address), CreatedAt = Now.AddDays(-100) };
        context.SendingIps.Add(ip);
        var batch = new IngestBatch { CreatedAt = Now.AddDays(-1), CreatedBy = "tests", Status = IngestStatus.Completed };
        context.IngestBatches.Add(batch);
        await context.SaveChangesAsync(Ct);
        var file = new IngestFile { BatchId = batch.Id, Name = "evidence", Sha256 = RandomNumberGenerator.GetBytes(32), Status = IngestStatus.Completed };
        var raw = new RawMessage { Sha256 = RandomNumberGenerator.GetBytes(32), Gzip = [], FirstBatchId = batch.Id, ReceivedAt = Now.AddDays(-1) };
        context.IngestFiles.Add(file);
        context.RawMessages.Add(raw);
        await context.SaveChangesAsync(Ct);
        return new DiagnosisSeed(db, ip.Id, batch.Id, file.Id, raw.Id);
    }

    public async Task BouncesAsync(int count, DateTimeOffset at, string? provider = null, string? code = null, string reason = "blocked",
        bool hard = true, BounceKind kind = BounceKind.Bounce)
    {
        await using var context = db();
        for (var i = 0; i < count; i++)
        {
            context.Bounces.Add(new Bounce
            {
                RawMessageId = rawMessageId,
                RecipientIndex = _recipient++,
                BatchId = BatchId,
                SendingIpId = SendingIpId,
                Recipient = $"user{_recipient}@example.net",
                Reason = reason,
                HardBounce = hard,
                Kind = kind,
                Provider = provider,
                ProviderCode = code,
                OccurredAt = at.AddSeconds(i),
            });
        }

        await context.SaveChangesAsync(Ct);
    }

    public async Task ComplaintsAsync(int count, DateTimeOffset at)
    {
        await using var context = db();
        for (var i = 0; i < count; i++)
        {
            context.Complaints.Add(new Complaint
            {
                RawMessageId = rawMessageId, RecipientIndex = _recipient++, BatchId = BatchId, SendingIpId = SendingIpId,
                FeedbackType = "abuse", Provider = "outlook.com", OccurredAt = at.AddMinutes(i),
            });
        }

        await context.SaveChangesAsync(Ct);
    }

    public async Task LogHourAsync(DateTimeOffset hour, int attempts, int sent, int deferred = 0, int bounced = 0, string provider = "outlook.com",
        string? code = null, bool microsoftBlock = false, string logHost = "mx1")
    {
        await using var context = db();
        context.MtaLogHours.Add(new MtaLogHour
        {
            FileId = fileId, SendingIpId = SendingIpId, LogHost = logHost, Hour = hour, Provider = provider, ProviderCode = code,
            Attempts = attempts, Sent = sent, Deferred = deferred, Bounced = bounced, MicrosoftBlock = microsoftBlock, FirstAt = hour,
        });
        await context.SaveChangesAsync(Ct);
    }

    private int _line;

    /// <summary>Per-line MTA log deliveries (as the log importer stores them), one message each; also their hourly aggregate.</summary>
    public async Task LogLinesAsync(int count, DateTimeOffset at, Deliverability.Core.Logs.DeliveryStatus status, string? provider = null, string? code = null,
        string? reason = null, string? enhanced = null, string? blocklist = null, string? reply = null, string logHost = "mx1")
    {
        await using var context = db();
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _line);
            context.MtaLogDeliveries.Add(new MtaLogDelivery
            {
                FileId = fileId, SendingIpId = SendingIpId, LogHost = logHost, Instance = "postfix", Program = "postfix/smtp", At = at.AddSeconds(i),
                Recipient = $"line{n}@example.net", QueueId = $"Q{n:X8}", Status = status, Provider = provider, ProviderCode = code,
                Reason = status == Deliverability.Core.Logs.DeliveryStatus.Sent ? null : reason ?? "undefined", EnhancedStatus = enhanced, Blocklist = blocklist, Reply = reply,
                LineHash = RandomNumberGenerator.GetBytes(32),
            });
        }

        await context.SaveChangesAsync(Ct);
        await LogHourAsync(at, count, status == Deliverability.Core.Logs.DeliveryStatus.Sent ? count : 0, status == Deliverability.Core.Logs.DeliveryStatus.Deferred ? count : 0,
            status is Deliverability.Core.Logs.DeliveryStatus.Bounced or Deliverability.Core.Logs.DeliveryStatus.Expired ? count : 0, provider ?? "other", code, logHost: logHost);
    }

    public async Task LoginsAsync(string user, DateTimeOffset hour, int succeeded, string logHost = "mx1")
    {
        await using var context = db();
        context.MtaLogLoginHours.Add(new MtaLogLoginHour { FileId = fileId, LogHost = logHost, Hour = hour, User = user, Succeeded = succeeded });
        await context.SaveChangesAsync(Ct);
    }

    public async Task SndsDayAsync(DateOnly day, string filter, decimal? complaintRate = null, int trapHits = 0)
    {
        await using var context = db();
        var address = (await context.SendingIps.FindAsync([SendingIpId], Ct))!.Address;
        context.SndsDays.Add(new SndsDay
        {
            Ip = address, Day = day, SendingIpId = SendingIpId, FileId = fileId, FilterResult = filter, ComplaintRate = complaintRate,
            TrapHits = trapHits, MessageRecipients = 1000, ActivityStart = Now, ActivityEnd = Now,
        });
        await context.SaveChangesAsync(Ct);
    }

    /// <summary>A completed check run with these results, finished at <paramref name="at"/>.</summary>
    public Task CheckRunAsync(DateTimeOffset at, params (string Check, string Target, CheckStatus Status, string Summary)[] results) =>
        CheckRunWithDetailsAsync(at, [.. results.Select(r => (r.Check, r.Target, r.Status, r.Summary, r.Check == "senderscore" ? "{\"score\": 72}" : "{}"))]);

    /// <summary>A completed check run with these results and their stored evidence (details JSON), finished at <paramref name="at"/>.</summary>
    public async Task CheckRunWithDetailsAsync(DateTimeOffset at, params (string Check, string Target, CheckStatus Status, string Summary, string Details)[] results)
    {
        await using var context = db();
        var run = new CheckRun { SendingIpId = SendingIpId, StartedAt = at, FinishedAt = at, Status = CheckRunStatus.Completed, Trigger = CheckTrigger.Scheduled };
        context.CheckRuns.Add(run);
        await context.SaveChangesAsync(Ct);
        foreach (var r in results)
        {
            context.CheckResults.Add(new StoredCheckResult
            {
                RunId = run.Id, SendingIpId = SendingIpId, Check = r.Check, Target = r.Target, Status = r.Status, Summary = r.Summary,
                Details = r.Details, CheckedAt = at,
            });
        }

        await context.SaveChangesAsync(Ct);
    }

    public async Task RunAsync(DateTimeOffset? now = null)
    {
        await using var context = db();
        await Job(db, context, now).RunAsync(SendingIpId, Ct);
    }

    /// <summary>Diagnoses these IPs together, as a chunk of a full re-diagnosis does.</summary>
    public static async Task RunTogetherAsync(Func<DeliverabilityDbContext> db, IReadOnlyCollection<long> sendingIpIds, DateTimeOffset? now = null)
    {
        await using var context = db();
        await Job(db, context, now).DiagnoseManyAsync(sendingIpIds, Ct);
    }

    private static IpDiagnosisJob Job(Func<DeliverabilityDbContext> db, DeliverabilityDbContext context, DateTimeOffset? now)
    {
        var clock = new FakeTimeProvider(now ?? Now);
        return new IpDiagnosisJob(context, new DelistingCases(new ContextFactory(db), clock, new RecordedJobs().DiagnosisRequests), new RecordedJobs().AlertRequests,
            clock, NullLogger<IpDiagnosisJob>.Instance);
    }

    private sealed class ContextFactory(Func<DeliverabilityDbContext> create) : IDbContextFactory<DeliverabilityDbContext>
    {
        public DeliverabilityDbContext CreateDbContext() => create();
    }
}
