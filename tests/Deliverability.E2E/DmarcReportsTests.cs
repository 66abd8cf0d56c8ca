using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Deliverability.Core.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>A zipped DMARC aggregate report uploaded in the browser, then the IP page's report section and the domain page.</summary>
public partial class DmarcReportsTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fixture report moved to yesterday, with another report id and its records' source IP changed.</summary>
    private static byte[] Report(string name, string reportId, string ip)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Reports", name));
        var epoch = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(-1), TimeSpan.Zero).ToUnixTimeSeconds();
        text = text.Replace("1796083200", epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("1796169599", (epoch + 86399).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("1796169600", (epoch + 86400).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("192.0.2.10", ip, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(ReportId().Replace(text, $"<report_id>{reportId}</report_id>"));
    }

    [Fact]
    public async Task ZippedReportUpload_ShowsTheIpSectionAndTheDomainPageWithTheUnknownSender()
    {
        long ipId;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            ipId = await db.SendingIps.Where(x => x.Address == IPAddress.Parse("192.0.2.61")).Select(x => (long?)x.Id).SingleOrDefaultAsync(Ct)
                ?? await db.AddSendingIpAsync("192.0.2.61", ct: Ct);
        }

        var dir = Directory.CreateTempSubdirectory("deliverability-e2e-dmarc-");
        var zip = Path.Combine(dir.FullName, "outlook.com!example.com!report.zip");
        await using (var file = File.Create(zip))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var id = Guid.NewGuid().ToString("N");
            foreach (var (entry, content) in new[]
            {
                ("outlook.xml", Report("outlook-style.xml", $"outlook-{id}", "192.0.2.61")),
                ("google.xml", Report("google-style.xml", $"google-{id}", "192.0.2.61")),
                ("mailru.xml", Report("mailru-style.xml", $"mailru-{id}", "198.51.100.77")),
            })
            {
                await using var stream = archive.CreateEntry(entry).Open();
                await stream.WriteAsync(content, Ct);
            }
        }

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.UploadFilesAsync(page, zip);
        await page.WaitForURLAsync(BatchUrl());
        var batchId = long.Parse(BatchUrl().Match(page.Url).Groups[1].Value, CultureInfo.InvariantCulture);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        await page.Locator("#batch-status").GetByText("Completed").WaitForAsync();

        await BrowserFixture.GotoLiveAsync(page, $"/ips/{ipId}");
        var section = page.Locator("#dmarc-reports");
        await section.Locator("#dmarc-pass-rate").WaitForAsync();
        Assert.Contains("DMARC pass 88% (220 of 250)", await section.Locator("#dmarc-pass-rate").InnerTextAsync(), StringComparison.Ordinal);
        var signatures = await section.Locator("#dmarc-signatures").InnerTextAsync();
        Assert.Contains("s1", signatures, StringComparison.Ordinal);
        Assert.Contains("27.2% (68 of 250)", signatures, StringComparison.Ordinal);
        Assert.True(await section.Locator("#dmarc-daily-chart svg").CountAsync() > 0);
        await section.ScrollIntoViewIfNeededAsync();
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.RepositoryRoot(), "docs", "screenshots", "ip-dmarc-reports.png") });

        await BrowserFixture.GotoLiveAsync(page, "/domains/example.com");
        var sources = page.Locator("#domain-sources");
        await sources.WaitForAsync();
        var unknown = sources.Locator("tr", new() { HasText = "198.51.100.77" });
        Assert.Contains("unknown sender using your domain", await unknown.InnerTextAsync(), StringComparison.Ordinal);
        var ours = sources.Locator("tr", new() { HasText = "192.0.2.61" });
        Assert.Contains("your sending IP", await ours.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "domain-reports");

        await BrowserFixture.GotoLiveAsync(page, "/reports");
        await page.Locator("#dmarc-report-list").GetByText("Mail.Ru").First.WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "reports");
    }

    [GeneratedRegex(@"/uploads/(\d+)$")]
    private static partial Regex BatchUrl();

    [GeneratedRegex("<report_id>[^<]*</report_id>")]
    private static partial Regex ReportId();
}
