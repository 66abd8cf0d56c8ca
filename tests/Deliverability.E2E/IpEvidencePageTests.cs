using System.Net;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>
/// The IP page of a hijacked account's incident (a Postfix log with a login spike, then S3150 refusals, and one DSN of a
/// later refusal): the verdict, the code table and the timeline all tell the first logged refusal as the first block.
/// </summary>
public sealed class IpEvidencePageTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HijackedAccountIncident_ThePageShowsTheLoggedFirstBlockEverywhere()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var firstBlock = now.AddHours(-10);
        var incident = new Incident();
        for (var at = now.AddDays(-3); at < firstBlock.AddHours(-2); at = at.AddHours(1))
        {
            incident.Sent(at, "reader@gmail.com", "alice");
            incident.Sent(at.AddMinutes(1), "reader@outlook.com", "alice");
        }

        for (var i = 0; i < 150; i++) incident.Sent(firstBlock.AddHours(-1).AddSeconds(i * 20), $"target{i}@outlook.com", "bob");
        var refused = new List<string>();
        for (var i = 0; i < 36; i++) refused.Add(incident.Refused(firstBlock.AddMinutes(i * 5), $"target{200 + i}@outlook.com", "5.7.1", Incident.S3150, "bob"));
        incident.Dsn(firstBlock.AddMinutes(100).AddSeconds(2), firstBlock.AddMinutes(40), "target220@outlook.com", "5.7.1", Incident.S3150, refused[20]);

        long ipId;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse(Incident.Ip), Label = "mx1", CreatedAt = now.AddDays(-90) };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            ipId = ip.Id;
        }

        var dir = Directory.CreateTempSubdirectory("deliverability-e2e-incident-");
        try
        {
            incident.WriteTo(dir.FullName);
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            var batchId = await uploads.CreateBatchAsync("e2e", IngestSource.Cli, ipId, Ct);
            foreach (var file in dir.GetFiles())
            {
                await using var stream = file.OpenRead();
                await uploads.AddFileAsync(batchId, file.Name, stream, Ct);
            }

            await uploads.MarkSubmittedAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().RunAsync(ipId, Ct);
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        IpStatusSnapshot status;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            status = await db.IpStatus.AsNoTracking().SingleAsync(s => s.SendingIpId == ipId, Ct);
        }

        Assert.Equal(firstBlock.AddSeconds(1), status.BlockedSince);
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, $"/ips/{ipId}");
        await page.Locator("#ip-timeline .marker-block").First.WaitForAsync();

        var shown = IpVerdict.FormatTime(firstBlock.AddSeconds(1));
        Assert.Contains($"Blocked by Outlook.com since {shown}", await page.Locator("#ip-verdict").InnerTextAsync(), StringComparison.Ordinal);
        var codes = await page.Locator("#ip-codes").InnerTextAsync();
        Assert.Contains("S3150", codes, StringComparison.Ordinal);
        Assert.Contains("36", codes, StringComparison.Ordinal);
        Assert.Contains("in logs", codes, StringComparison.Ordinal);
        Assert.Contains(shown, await page.Locator("#timeline-window-caption").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#ip-timeline circle.log-refused").CountAsync() > 0);
        Assert.Contains("(today)", await page.Locator("#ip-timeline").InnerTextAsync(), StringComparison.Ordinal);
        // The checklist loads again when the circuit goes live (a moment with no items): wait for the item rather than counting once.
        await Assertions.Expect(page.Locator("#checklist-item-compromised-host")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#checklist-item-high-bounce-rate")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "ip-page-incident");
    }
}
