using System.Net;
using System.Text;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

public class EvidenceFileImportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] TestFile(string folder, string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", folder, name));

    private DeliverabilityDbContext Db() => app.Factory.Database.CreateDbContext();

    private async Task<long> IngestAsync(params (string Name, byte[] Content)[] files)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
        var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
        foreach (var (name, content) in files)
        {
            await uploads.AddFileAsync(batchId, name, new MemoryStream(content), Ct);
        }

        await uploads.MarkSubmittedAsync(batchId, Ct);
        await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        return batchId;
    }

    private async Task<long> TrackAsync(string address)
    {
        await using var db = Db();
        var existing = await db.SendingIps.SingleOrDefaultAsync(x => x.Address == IPAddress.Parse(address), Ct);
        if (existing is not null)
        {
            return existing.Id;
        }

        return await db.AddSendingIpAsync(address, ct: Ct);
    }

    [Fact]
    public async Task PostfixLog_WithLogHostRule_CountsHourlyAttemptsPerIpAndFlagsTheMicrosoftBlock()
    {
        var ipId = await TrackAsync("203.0.113.5");
        await using (var db = Db())
        {
            db.SendingIpRules.Add(new SendingIpRule { Kind = SendingIpRuleKind.LogHost, Pattern = "mx1", SendingIpId = ipId, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var batchId = await IngestAsync(("maillog", TestFile("Logs", "postfix-outlook.log")));

        await using var check = Db();
        var file = await check.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct);
        Assert.Equal((IngestFileKind.MtaLog, IngestStatus.Completed), (file.Kind, file.Status));
        var outlook = await check.MtaLogHours.Where(h => h.FileId == file.Id && h.Provider == "outlook.com").ToListAsync(Ct);
        Assert.NotEmpty(outlook);
        Assert.All(outlook, h => Assert.Equal(ipId, h.SendingIpId));
        var block = Assert.Single(outlook, h => h.MicrosoftBlock && h.ProviderCode == "S3150");
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), block.Hour);
        Assert.Contains("S3150", block.SampleReply, StringComparison.Ordinal);
        var login = await check.MtaLogLoginHours.SingleAsync(l => l.FileId == file.Id && l.User == "alice", Ct);
        Assert.Equal(1, login.Succeeded);
        var batch = await check.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.True(batch.LogEntryCount >= 3);
    }

    [Fact]
    public async Task EximLog_WhenLinesNameTheLocalIp_AttributesByIt()
    {
        var ip5 = await TrackAsync("203.0.113.5");
        var ip6 = await TrackAsync("203.0.113.6");

        var batchId = await IngestAsync(("exim_mainlog", TestFile("Logs", "exim-main.log")));

        await using var check = Db();
        var file = await check.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct);
        Assert.Equal(IngestFileKind.MtaLog, file.Kind);
        var perIp = await check.MtaLogHours.Where(h => h.FileId == file.Id && h.SendingIpId != null)
            .GroupBy(h => h.SendingIpId).Select(g => new { Ip = g.Key, Attempts = g.Sum(h => h.Attempts) }).ToListAsync(Ct);
        Assert.Contains(perIp, x => x.Ip == ip5 && x.Attempts > 0);
        Assert.Contains(perIp, x => x.Ip == ip6 && x.Attempts > 0);
    }

    [Fact]
    public async Task MtaLog_WhenUploadedTwice_IsCountedOnceAndReportedAsDuplicate()
    {
        var log = TestFile("Logs", "postfix-providers.log");
        await IngestAsync(("first.log", log));
        var second = await IngestAsync(("second.log", log));

        await using var check = Db();
        var batch = await check.IngestBatches.SingleAsync(b => b.Id == second, Ct);
        Assert.Equal((1, 0), (batch.DuplicateCount, batch.LogEntryCount));
        var secondFile = await check.IngestFiles.SingleAsync(f => f.BatchId == second, Ct);
        Assert.False(await check.MtaLogHours.AnyAsync(h => h.FileId == secondFile.Id, Ct));
    }

    [Fact]
    public async Task SndsExport_KeepsOneRowPerIpAndDay_AndANewerUploadReplacesTheDay()
    {
        var ipId = await TrackAsync("203.0.113.6");
        await IngestAsync(("snds.csv", TestFile("Snds", "data-with-header.csv")));
        var corrected = Encoding.UTF8.GetString(TestFile("Snds", "data-no-header.csv"));

        await using (var db = Db())
        {
            var red = await db.SndsDays.SingleAsync(d => d.Ip == IPAddress.Parse("203.0.113.6") && d.Day == new DateOnly(2026, 11, 26), Ct);
            Assert.Equal(("RED", 4, 0.003m, ipId), (red.FilterResult, red.TrapHits, red.ComplaintRate!.Value, red.SendingIpId!.Value));
            var green = await db.SndsDays.SingleAsync(d => d.Ip == IPAddress.Parse("203.0.113.5") && d.Day == new DateOnly(2026, 11, 26), Ct);
            Assert.True(green.ComplaintRateIsUpperBound);
        }

        var replaced = corrected.Replace("RED", "YELLOW", StringComparison.Ordinal);
        var batchId = await IngestAsync(("snds-fixed.csv", Encoding.UTF8.GetBytes(replaced)));

        await using var check = Db();
        var batch = await check.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.True(batch.SndsRowCount > 0);
        Assert.Equal(1, await check.SndsDays.CountAsync(d => d.Ip == IPAddress.Parse("203.0.113.6") && d.Day == new DateOnly(2026, 11, 26), Ct));
    }

    [Fact]
    public async Task SndsIpStatus_StoresTheBlockedRanges()
    {
        var batchId = await IngestAsync(("ipstatus.csv", TestFile("Snds", "ipstatus-legacy.csv")));

        await using var check = Db();
        var file = await check.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct);
        Assert.Equal(IngestFileKind.SndsIpStatus, file.Kind);
        var range = await check.SndsIpStatus.FirstAsync(r => r.FileId == file.Id, Ct);
        Assert.True(range.Blocked);
        Assert.Equal(IPAddress.Parse("203.0.113.0"), range.FirstIp);
        Assert.Contains("complaints", range.Reason, StringComparison.Ordinal);
    }
}
