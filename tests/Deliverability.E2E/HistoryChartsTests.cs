using System.Net;
using System.Security.Cryptography;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.E2E;

/// <summary>The IP page's history charts and the dashboard's blocked/listed chart, drawn from seeded history in Chromium.</summary>
public class HistoryChartsTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> SeedAsync()
    {
        var now = app.Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var db = app.Factory.Database.CreateDbContext();
        var ip = new SendingIp { Address = IPAddress.Parse("203.0.113.44"), Label = "history", CreatedAt = now.AddDays(-60) };
        db.SendingIps.Add(ip);
        var batch = new IngestBatch { CreatedAt = now, CreatedBy = "tests", Status = IngestStatus.Completed };
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync(Ct);
        var file = new IngestFile { BatchId = batch.Id, Name = "snds.csv", Sha256 = RandomNumberGenerator.GetBytes(32), Status = IngestStatus.Completed };
        db.IngestFiles.Add(file);
        db.IpStatus.Add(new IpStatusSnapshot { SendingIpId = ip.Id, Health = IpHealth.Listed, Verdict = "Listed on SpamCop.", ListedOn = 1, SenderScore = 74, ComputedAt = now });
        await db.SaveChangesAsync(Ct);
        int[] scores = [92, 90, 88, 81, 77, 74];
        for (var i = 0; i < scores.Length; i++)
        {
            var at = now.AddDays(-12 + 2 * i);
            var run = new CheckRun { SendingIpId = ip.Id, StartedAt = at, FinishedAt = at.AddSeconds(3), Status = CheckRunStatus.Completed };
            db.CheckRuns.Add(run);
            await db.SaveChangesAsync(Ct);
            db.CheckResults.Add(new StoredCheckResult { RunId = run.Id, SendingIpId = ip.Id, Check = SenderScoreCheck.Name, Target = "203.0.113.44", Status = CheckStatus.Pass, Summary = "score", Details = $"{{\"score\":{scores[i]}}}", CheckedAt = at });
            db.CheckResults.Add(new StoredCheckResult { RunId = run.Id, SendingIpId = ip.Id, Check = "blocklist:bl.spamcop.net", Target = "203.0.113.44", Status = i >= 3 ? CheckStatus.Fail : CheckStatus.Pass, Summary = "spamcop", Details = "{}", CheckedAt = at });
        }

        string[] filters = ["GREEN", "GREEN", "YELLOW", "YELLOW", "RED", "RED"];
        for (var i = 0; i < filters.Length; i++)
        {
            var day = DateOnly.FromDateTime(now.AddDays(-12 + 2 * i).UtcDateTime);
            db.SndsDays.Add(new SndsDay
            {
                Ip = ip.Address, Day = day, SendingIpId = ip.Id, FileId = file.Id, ActivityStart = now.AddDays(-12 + 2 * i), ActivityEnd = now.AddDays(-11 + 2 * i),
                RcptCommands = 2000, DataCommands = 1900, MessageRecipients = 1800 - 150 * i, FilterResult = filters[i], ComplaintRate = 0.001m * (i + 1), TrapHits = i,
            });
            var hour = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
            if (i >= 3) db.BounceHours.Add(new BounceHour { SendingIpId = ip.Id, Hour = hour, Provider = "", Family = ReasonFamily.Block, Bounces = 10 * i });
        }

        await db.SaveChangesAsync(Ct);
        return ip.Id;
    }

    [Fact]
    public async Task IpPage_DrawsSenderScoreAndSnds_AndTheDashboardDrawsBlockedAndListedIps()
    {
        var id = await SeedAsync();
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);

        await BrowserFixture.GotoLiveAsync(page, $"/ips/{id}");
        await page.Locator("#sender-score-chart svg").First.WaitForAsync();
        await page.Locator("#snds-history-chart svg").First.WaitForAsync();
        Assert.Contains("latest 74", await page.Locator("#sender-score-chart").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#history").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "ip-history-charts");

        await BrowserFixture.GotoLiveAsync(page, "/");
        await page.Locator("#fleet-history svg").First.WaitForAsync();
        Assert.Contains("Blocked and listed IPs", await page.Locator("#fleet-history").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "dashboard-fleet-history");
    }
}
