using System.Net;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

public class IngestBatchJobTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> UploadAsync(long? defaultIpId, params (string Name, byte[] Content)[] files)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
        var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, defaultIpId, Ct);
        foreach (var (name, content) in files)
        {
            await uploads.AddFileAsync(batchId, name, new MemoryStream(content), Ct);
        }

        await uploads.MarkSubmittedAsync(batchId, Ct);
        return batchId;
    }

    private async Task RunAsync(long batchId, CancellationToken ct)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, ct);
    }

    private DeliverabilityDbContext Db() => app.Factory.Database.CreateDbContext();

    [Fact]
    public async Task RunAsync_WhenOutlookS3150BounceUploaded_StoresTheBounceAndTracksTheBlockedIp()
    {
        var batchId = await UploadAsync(null, ("s3150.eml", Fixtures.Bounce("outlook-s3150")));

        await RunAsync(batchId, Ct);

        await using var db = Db();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal(IngestStatus.Completed, batch.Status);
        Assert.Equal((1, 1, 1, 0), (batch.MessageCount, batch.ParsedCount, batch.BounceCount, batch.ErrorCount));
        var bounce = await db.Bounces.Include(b => b.SendingIp).SingleAsync(b => b.BatchId == batchId, Ct);
        Assert.Equal("alice@hotmail.com", bounce.Recipient);
        Assert.Equal("alice@hotmail.com", bounce.OriginalRecipient);
        Assert.Equal("outlook.com", bounce.Provider);
        Assert.Equal("S3150", bounce.ProviderCode);
        Assert.Equal(IPAddress.Parse("203.0.113.5"), bounce.SendingIp!.Address);
        // When the refusal happened: the DSN's own Date, not the original message's Arrival-Date (09:14:58).
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 15, 2, TimeSpan.Zero), bounce.OccurredAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 14, 58, TimeSpan.Zero), bounce.ArrivalDate);
        Assert.Contains(bounce.Dkim, d => d.Domain == "example.com" && d.Selector == "mail2026");
        var raw = await db.RawMessages.SingleAsync(r => r.Id == bounce.RawMessageId, Ct);
        Assert.Equal("Undelivered Mail Returned to Sender", raw.Subject);
    }

    [Fact]
    public async Task RunAsync_WhenSameMessageUploadedTwice_StoresItOnceAndReportsTheDuplicate()
    {
        var message = Fixtures.Bounce("outlook-rp001");
        var first = await UploadAsync(null, ("a.eml", message));
        await RunAsync(first, Ct);
        var second = await UploadAsync(null, ("again.eml", message), ("again-in-mbox.mbox", Fixtures.MboxOf(message)));
        await RunAsync(second, Ct);

        await using var db = Db();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == second, Ct);
        Assert.Equal((2, 0, 2, 0), (batch.MessageCount, batch.BounceCount, batch.DuplicateCount, batch.ErrorCount));
        var raw = await db.RawMessages.Where(r => r.FirstBatchId == first).SingleAsync(Ct);
        Assert.Equal(1, await db.Bounces.CountAsync(b => b.RawMessageId == raw.Id, Ct));
    }

    [Fact]
    public async Task RunAsync_WhenOneFileIsBroken_IngestsTheOthersAndSaysWhyTheBrokenOneFailed()
    {
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        var batchId = await UploadAsync(null,
            ("good.eml", Fixtures.Bounce("postfix-userunknown")),
            ("junk.bin", junk),
            ("empty.eml", []),
            ("letter.eml", Fixtures.Bounce("not-a-bounce")),
            ("also-good.eml", Fixtures.Bounce("exim-mailboxfull")));

        await RunAsync(batchId, Ct);

        await using var db = Db();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal(IngestStatus.Completed, batch.Status);
        Assert.Equal((5, 2, 1, 2), (batch.MessageCount, batch.ParsedCount, batch.NotBounceCount, batch.ErrorCount));
        var errors = await db.IngestErrors.Where(e => e.BatchId == batchId).Select(e => e.Message).ToListAsync(Ct);
        Assert.Contains(errors, e => e.StartsWith("empty.eml: empty file", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("junk.bin: unreadable MIME", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("letter.eml: not a bounce", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenZipAndGzipUploaded_ReadsEveryMessageInside()
    {
        var zip = Fixtures.Zip(
            ("bounces/sc001.eml", Fixtures.Bounce("outlook-sc001")),
            ("bounces/dy001.eml", Fixtures.Bounce("outlook-dy001")),
            ("__MACOSX/._sc001.eml", [0, 1, 2]),
            ("more.mbox.gz", Fixtures.Gzip(Fixtures.Mbox("gmail-5.7.26", "yahoo-tss04"))));
        var batchId = await UploadAsync(null, ("bounces.zip", zip), ("one.eml.gz", Fixtures.Gzip(Fixtures.Bounce("m365-5.7.606"))));

        await RunAsync(batchId, Ct);

        await using var db = Db();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal((5, 5, 0), (batch.MessageCount, batch.ParsedCount, batch.ErrorCount));
        var providers = await db.Bounces.Where(b => b.BatchId == batchId).Select(b => b.Provider).ToListAsync(Ct);
        Assert.Equal(["gmail", "microsoft365", "outlook.com", "outlook.com", "yahoo"], providers.Order().ToList());
        Assert.All(await db.IngestFiles.Where(f => f.BatchId == batchId).ToListAsync(Ct), f => Assert.Equal(IngestStatus.Completed, f.Status));
    }

    [Fact]
    public async Task RunAsync_WhenZipBombUploaded_RefusesThatFileAndIngestsTheRest()
    {
        var bomb = Fixtures.Zip(("bomb.eml", new byte[50 * 1024 * 1024]));
        var batchId = await UploadAsync(null, ("bomb.zip", bomb), ("fine.eml", Fixtures.Bounce("qmail-userunknown")));

        await RunAsync(batchId, Ct);

        await using var db = Db();
        var bombFile = await db.IngestFiles.SingleAsync(f => f.BatchId == batchId && f.Name == "bomb.zip", Ct);
        Assert.Equal(IngestStatus.Failed, bombFile.Status);
        Assert.Contains("zip bomb", bombFile.Error, StringComparison.Ordinal);
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal((IngestStatus.Completed, 2, 1), (batch.Status, batch.BounceCount, batch.ErrorCount));
    }

    [Fact]
    public async Task RunAsync_WhenArfComplaintUploaded_StoresAComplaintNotABounce()
    {
        var batchId = await UploadAsync(null, ("jmrp.eml", Fixtures.Bounce("jmrp")), ("arf.eml", Fixtures.Bounce("arf-abuse")));

        await RunAsync(batchId, Ct);

        await using var db = Db();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal((2, 0), (batch.ComplaintCount, batch.BounceCount));
        var jmrp = await db.Complaints.Include(c => c.SendingIp).SingleAsync(c => c.BatchId == batchId && c.Provider == "outlook.com", Ct);
        Assert.Equal("abuse", jmrp.FeedbackType);
        Assert.Equal(IPAddress.Parse("203.0.113.5"), jmrp.SendingIp!.Address);
    }

    [Fact]
    public async Task RunAsync_WhenBounceNamesNoIp_UsesRuleThenUploadChoiceElseLeavesItUnattributed()
    {
        long ruleIp, chosenIp;
        await using (var db = Db())
        {
            var a = new SendingIp { Address = IPAddress.Parse("198.51.100.21"), CreatedAt = DateTimeOffset.UtcNow };
            var b = new SendingIp { Address = IPAddress.Parse("198.51.100.22"), CreatedAt = DateTimeOffset.UtcNow };
            db.SendingIps.AddRange(a, b);
            await db.SaveChangesAsync(Ct);
            db.SendingIpRules.Add(new SendingIpRule { Kind = SendingIpRuleKind.ReportingMta, Pattern = "*.example.com", SendingIpId = a.Id, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
            (ruleIp, chosenIp) = (a.Id, b.Id);
        }

        var byRule = await UploadAsync(chosenIp, ("p.eml", Fixtures.Bounce("postfix-userunknown")));
        await RunAsync(byRule, Ct);
        var byChoice = await UploadAsync(chosenIp, ("q.eml", Fixtures.Bounce("qmail-userunknown")));
        await RunAsync(byChoice, Ct);

        await using var check = Db();
        var ruled = await check.Bounces.SingleAsync(b => b.BatchId == byRule, Ct);
        Assert.Equal((ruleIp, "rule:reporting-mta"), (ruled.SendingIpId!.Value, ruled.SendingIpSource));
        var chosen = await check.Bounces.Where(b => b.BatchId == byChoice).ToListAsync(Ct);
        Assert.Equal(2, chosen.Count);
        Assert.All(chosen, b => Assert.Equal((chosenIp, "upload"), (b.SendingIpId!.Value, b.SendingIpSource)));

        await using (var db = Db())
        {
            await db.SendingIpRules.ExecuteDeleteAsync(Ct);
        }

        var unattributed = await UploadAsync(null, ("s.eml", Fixtures.Bounce("sendmail-hostunknown")));
        await RunAsync(unattributed, Ct);
        await using var last = Db();
        Assert.Null((await last.Bounces.SingleAsync(b => b.BatchId == unattributed, Ct)).SendingIpId);
    }

    [Fact]
    public async Task RunAsync_WhenKilledHalfWayAndRunAgain_FinishesWithExactCountsAndNoDuplicateRows()
    {
        var batchId = await UploadAsync(null, ("many.mbox", Fixtures.ManyBounces(2500)));
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watcher = Task.Run(async () =>
        {
            while (!kill.IsCancellationRequested)
            {
                await using var db = Db();
                if (await db.IngestFiles.AnyAsync(f => f.BatchId == batchId && f.ProcessedMessages > 0, Ct))
                {
                    await kill.CancelAsync();
                    return;
                }

                await Task.Delay(5, Ct);
            }
        }, Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(batchId, kill.Token));
        await watcher;
        await using (var db = Db())
        {
            var halfWay = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
            Assert.Equal(IngestStatus.Running, halfWay.Status);
            Assert.InRange(halfWay.BounceCount, 1, 2499);
        }

        await RunAsync(batchId, Ct);
        await RunAsync(batchId, Ct);

        await using var done = Db();
        var batch = await done.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal((IngestStatus.Completed, 2500, 2500, 2500, 0), (batch.Status, batch.MessageCount, batch.ParsedCount, batch.BounceCount, batch.DuplicateCount));
        Assert.Equal(2500, await done.Bounces.CountAsync(b => b.BatchId == batchId, Ct));
        Assert.Equal(2500, await done.RawMessages.CountAsync(r => r.FirstBatchId == batchId, Ct));
    }
}
