using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Deliverability.Core.Bounces;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Logs;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>From the IP page's "S3150 × 5" to the explorer filtered on that IP and code, a row's evidence, and its CSV export.</summary>
public sealed class BounceExplorerTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Diagnostic = "550 5.7.1 Unfortunately, messages from [203.0.113.61] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).";

    [Fact]
    public async Task CodeLinkOnTheIpPage_OpensTheFilteredExplorer_ARowShowsItsEvidence_AndTheViewExportsAsCsv()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        long ipId;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse("203.0.113.61"), Label = "mx-explorer", CreatedAt = now.AddDays(-90) };
            var other = new SendingIp { Address = IPAddress.Parse("198.51.100.61"), CreatedAt = now.AddDays(-90) };
            var batch = new IngestBatch { CreatedAt = now, CreatedBy = "e2e", Status = IngestStatus.Completed };
            db.AddRange(ip, other, batch);
            await db.SaveChangesAsync(Ct);
            var file = new IngestFile { BatchId = batch.Id, Name = "maillog", Sha256 = RandomNumberGenerator.GetBytes(32), Status = IngestStatus.Completed };
            var message = "From: MAILER-DAEMON@outlook.com\r\nSubject: Undeliverable: spring offer <b>now</b>\r\n\r\n" + Diagnostic + "\r\n";
            var raw = new RawMessage { Sha256 = RandomNumberGenerator.GetBytes(32), Gzip = Gzip(message), Size = message.Length, FirstBatchId = batch.Id, ReceivedAt = now };
            db.AddRange(file, raw);
            await db.SaveChangesAsync(Ct);
            for (var i = 0; i < 2; i++)
            {
                db.Bounces.Add(new Bounce
                {
                    RawMessageId = raw.Id, RecipientIndex = i, BatchId = batch.Id, SendingIpId = ip.Id, Recipient = $"reader{i}@outlook.com", RecipientDomain = "outlook.com",
                    Reason = BounceReasons.Blocked, HardBounce = true, Kind = BounceKind.Bounce, Provider = "outlook.com", ProviderCode = "S3150", ReplyCode = 550,
                    Status = "5.7.1", Diagnostic = Diagnostic, OccurredAt = now.AddHours(-1).AddMinutes(i),
                });
            }

            for (var i = 0; i < 3; i++)
            {
                db.MtaLogDeliveries.Add(new MtaLogDelivery
                {
                    FileId = file.Id, SendingIpId = ip.Id, LogHost = "mx1", Instance = "postfix", Program = "postfix/smtp", At = now.AddHours(-2).AddMinutes(i),
                    Recipient = $"logged{i}@hotmail.com", Status = DeliveryStatus.Bounced, Provider = "outlook.com", ProviderCode = "S3150", Reason = BounceReasons.Blocked,
                    ReplyCode = 550, EnhancedStatus = "5.7.1", Reply = Diagnostic, LineHash = RandomNumberGenerator.GetBytes(32),
                });
            }

            // Another IP's refusal with the same code stays out of the filtered view.
            db.MtaLogDeliveries.Add(new MtaLogDelivery
            {
                FileId = file.Id, SendingIpId = other.Id, LogHost = "mx2", Instance = "postfix", Program = "postfix/smtp", At = now.AddHours(-1),
                Recipient = "elsewhere@hotmail.com", Status = DeliveryStatus.Bounced, Provider = "outlook.com", ProviderCode = "S3150", Reason = BounceReasons.Blocked,
                LineHash = RandomNumberGenerator.GetBytes(32),
            });
            await db.SaveChangesAsync(Ct);
            ipId = ip.Id;
        }

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, $"/ips/{ipId}");
        var codeLink = page.Locator("#ip-codes a.code-rows", new() { HasText = "S3150 × 5" });
        await Assertions.Expect(codeLink).ToHaveCountAsync(1);
        await codeLink.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/bounces\?.*ip=203\.0\.113\.61.*code=S3150"));
        var rows = page.Locator("#bounces-grid tbody tr", new() { HasText = "@" });
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#bounce-total")).ToContainTextAsync("5 rows match");
        await Assertions.Expect(page.Locator("#bounce-facets .facet[data-facet=code]")).ToContainTextAsync("S3150 × 5");
        await Assertions.Expect(page.Locator("#filter-code, #filter-code input").Last).ToHaveValueAsync("S3150");
        await BrowserFixture.ScreenshotAsync(page, "bounce-explorer");

        await rows.Filter(new() { HasText = "reader1@outlook.com" }).ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog.Locator("#bounce-reading")).ToContainTextAsync("S3150: ");
        await Assertions.Expect(dialog.Locator("#bounce-reading")).ToContainTextAsync("reader1@outlook.com");
        // The stored message, encoded: its "<b>" is text, not markup.
        await Assertions.Expect(dialog.Locator("#raw-headers")).ToContainTextAsync("Subject: Undeliverable: spring offer <b>now</b>");
        await BrowserFixture.ScreenshotAsync(page, "bounce-explorer-row");
        await dialog.Locator("#close-evidence").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-csv").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path, Ct)).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("source,id,occurred_at,sending_ip,recipient", lines[0], StringComparison.Ordinal);
        Assert.Equal(6, lines.Count);
        Assert.All(lines.Skip(1), l => Assert.Contains(",203.0.113.61,", l, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("elsewhere@", StringComparison.Ordinal));
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
