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

    public DelistingCases Cases => new(this, Clock);

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

    public async Task AddRemediationItemAsync(long ipId, string key, bool done)
    {
        await using var db = CreateDbContext();
        db.RemediationItems.Add(new RemediationItem
        {
            SendingIpId = ipId,
            Key = key,
            Title = $"Fix {key}",
            Action = $"Do the {key} thing.",
            VerifiedBy = "a person",
            Verification = RemediationVerification.Manual,
            Done = done,
            RaisedAt = Start,
            UpdatedAt = Start,
        });
        await db.SaveChangesAsync();
    }

    public async Task AddCheckAsync(long ipId, string check, string target, CheckStatus status, string summary, string details = "{}", TimeSpan? age = null)
    {
        var at = Clock.GetUtcNow() + (age ?? TimeSpan.Zero);
        await using var db = CreateDbContext();
        var run = new CheckRun { SendingIpId = ipId, StartedAt = at, FinishedAt = at, Status = CheckRunStatus.Completed, Trigger = CheckTrigger.Manual };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync();
        db.CheckResults.Add(new StoredCheckResult { RunId = run.Id, SendingIpId = ipId, Check = check, Target = target, Status = status, Summary = summary, Details = details, CheckedAt = at });
        await db.SaveChangesAsync();
    }
}
