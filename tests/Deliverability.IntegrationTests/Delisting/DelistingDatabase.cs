using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Delisting;

/// <summary>One migrated database per test class, a fixed clock, and builders for the evidence a case reads.</summary>
public sealed class DelistingDatabase : IAsyncLifetime, IDbContextFactory<DeliverabilityDbContext>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 12, 8, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = default!;
    private int _nextAddress;

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>What the use cases asked to run (diagnosis refreshes).</summary>
    public RecordedJobs Jobs { get; } = new();

    public DelistingCases Cases => new(this, Clock, Jobs.DiagnosisRequests);

    public DelistingCaseReader Reader => new(this);

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    public DeliverabilityDbContext CreateDbContext() => _database.CreateDbContext();

    public async Task<long> AddIpAsync(bool withStatusRow = true)
    {
        await using var db = CreateDbContext();
        var ip = new SendingIp { Address = IPAddress.Parse($"203.0.113.{Interlocked.Increment(ref _nextAddress)}"), CreatedAt = Start.AddDays(-30) };
        db.SendingIps.Add(ip);
        await db.SaveChangesAsync();
        if (withStatusRow)
        {
            db.IpStatus.Add(new IpStatusSnapshot { SendingIpId = ip.Id, Verdict = "Blocked", Health = IpHealth.Blocked, ComputedAt = Start });
            await db.SaveChangesAsync();
        }

        return ip.Id;
    }

    /// <summary>Stores the fixture as a raw message and one bounce of it, attributed to the IP.</summary>
    public async Task AddBounceAsync(long ipId, string fixture, string provider, string code, DateTimeOffset at, string reason = "blocked")
    {
        var bytes = Ingestion.Fixtures.Bounce(fixture);
        await using var db = CreateDbContext();
        using var gzip = new MemoryStream();
        await using (var zip = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync(bytes);
        }

        var raw = new RawMessage { Sha256 = SHA256.HashData(bytes), Size = bytes.Length, Gzip = gzip.ToArray(), FirstBatchId = 1, ReceivedAt = at, Kind = MessageKind.Bounce };
        db.RawMessages.Add(raw);
        await db.SaveChangesAsync();
        db.Bounces.Add(new Bounce
        {
            RawMessageId = raw.Id,
            BatchId = 1,
            SendingIpId = ipId,
            Recipient = "alice@hotmail.com",
            Reason = reason,
            Kind = BounceKind.Bounce,
            HardBounce = true,
            Provider = provider,
            ProviderCode = code,
            Status = "5.7.1",
            ReplyCode = 550,
            Diagnostic = $"550 5.7.1 Unfortunately, messages from the IP weren't sent ({code}).",
            OccurredAt = at,
        });
        await db.SaveChangesAsync();
    }

    public Task AddRemediationItemAsync(long ipId, string key, bool done) => AddRemediationItemAsync(ipId, key, done, null);

    /// <summary>
    /// Stores a check result in a completed run of the IP finishing at now + <paramref name="age"/>: results of the same time share
    /// one run, as the checks job stores them (the case reads the newest run).
    /// </summary>
    public async Task AddCheckAsync(long ipId, string check, string target, CheckStatus status, string summary, string details = "{}", TimeSpan? age = null)
    {
        var at = Clock.GetUtcNow() + (age ?? TimeSpan.Zero);
        await using var db = CreateDbContext();
        var run = await db.CheckRuns.FirstOrDefaultAsync(r => r.SendingIpId == ipId && r.FinishedAt == at);
        if (run is null)
        {
            run = new CheckRun { SendingIpId = ipId, StartedAt = at, FinishedAt = at, Status = CheckRunStatus.Completed, Trigger = CheckTrigger.Manual };
            db.CheckRuns.Add(run);
            await db.SaveChangesAsync();
        }

        db.CheckResults.Add(new StoredCheckResult { RunId = run.Id, SendingIpId = ipId, Check = check, Target = target, Status = status, Summary = summary, Details = details, CheckedAt = at });
        await db.SaveChangesAsync();
    }

    /// <summary>One run with SPF, DKIM, DMARC, PTR and FCrDNS results, all with <paramref name="status"/>.</summary>
    public async Task AddAuthenticationChecksAsync(long ipId, CheckStatus status)
    {
        foreach (var (check, target) in new[] { ("spf", "example.com"), ("dkim", "example.com:s1"), ("dmarc", "example.com"), ("ptr", "203.0.113.1"), ("fcrdns", "203.0.113.1") })
        {
            await AddCheckAsync(ipId, check, target, status, $"{check} {status}");
        }
    }

    public async Task AddRemediationItemAsync(long ipId, string key, bool done, string? title)
    {
        await using var db = CreateDbContext();
        var position = await db.RemediationItems.CountAsync(x => x.SendingIpId == ipId);
        db.RemediationItems.Add(new RemediationItem
        {
            SendingIpId = ipId,
            Key = key,
            Title = title ?? $"Fix {key}",
            Action = $"Do the {key} thing.",
            VerifiedBy = "a person",
            Verification = RemediationVerification.Manual,
            Done = done,
            RaisedAt = Start,
            UpdatedAt = Start,
            Position = position,
        });
        await db.SaveChangesAsync();
    }

    public async Task AddSndsDayAsync(long ipId)
    {
        await using var db = CreateDbContext();
        var address = await db.SendingIps.Where(x => x.Id == ipId).Select(x => x.Address).SingleAsync();
        var batch = new IngestBatch { CreatedAt = Start, CreatedBy = "tests", Status = IngestStatus.Completed };
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync();
        var file = new IngestFile { BatchId = batch.Id, Name = "snds.csv", Sha256 = RandomNumberGenerator.GetBytes(32), Status = IngestStatus.Completed };
        db.IngestFiles.Add(file);
        await db.SaveChangesAsync();
        db.SndsDays.Add(new SndsDay
        {
            Ip = address,
            Day = DateOnly.FromDateTime(Start.UtcDateTime.AddDays(-1)),
            SendingIpId = ipId,
            FileId = file.Id,
            ActivityStart = Start.AddDays(-1),
            ActivityEnd = Start,
            FilterResult = "GREEN",
        });
        await db.SaveChangesAsync();
    }
}
