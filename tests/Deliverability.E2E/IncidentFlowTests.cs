using System.Net;
using System.Text.RegularExpressions;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Logs;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>The lying resolver (NXDOMAIN for every name) with a Hangfire server: uploads are ingested and "Check now" runs as in production.</summary>
public sealed class IncidentFlowFixture : LyingResolverFixture
{
    protected override bool RunsJobServer => true;
}

/// <summary>
/// Issue 11's incident from a user's chair: a Postfix log (normal traffic, a login spike of one SASL user, then Outlook.com
/// S3150 refusals) uploaded, then the same log grown by more lines uploaded again; "Check now" through a resolver that lies;
/// the Outlook.com case taken to the submission. The first block everywhere is the first logged S3150 line.
/// </summary>
public sealed partial class IncidentFlowTests(IncidentFlowFixture app) : IClassFixture<IncidentFlowFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HijackedAccountIncident_GrownLogAndLyingResolver_FirstBlockIsTheFirstLoggedRefusalFromIpPageToRequest()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var firstBlock = now.AddHours(-10);
        // Incident.Refused logs the attempt one second after the message was queued.
        var firstRefusalLine = firstBlock.AddSeconds(1);
        var incident = new Incident();
        var bobMessages = 0;
        for (var at = now.AddDays(-3); at < firstBlock.AddHours(-2); at = at.AddHours(1))
        {
            incident.Sent(at, "reader@gmail.com", "alice");
            incident.Sent(at.AddMinutes(1), "reader@outlook.com", "alice");
        }

        // bob logs in a few times a day, then 150 times in one hour: a stolen password sending spam.
        for (var at = now.AddDays(-3); at < firstBlock.AddHours(-2); at = at.AddHours(6), bobMessages++) incident.Sent(at.AddMinutes(3), "friend@example.net", "bob");
        for (var i = 0; i < 150; i++, bobMessages++) incident.Sent(firstBlock.AddHours(-1).AddSeconds(i * 20), $"target{i}@outlook.com", "bob");
        for (var i = 0; i < 36; i++, bobMessages++) incident.Refused(firstBlock.AddMinutes(i * 5), $"target{200 + i}@outlook.com", "5.7.1", Incident.S3150, "bob");
        var dir = Directory.CreateTempSubdirectory("deliverability-e2e-incident-flow-");
        var first = Directory.CreateDirectory(Path.Combine(dir.FullName, "first"));
        incident.WriteTo(first.FullName);
        var messagesInFirst = incident.QueueIds.Count;

        // The same log a few hours later: every line of the first file, then 12 more refusals and alice's mail to Gmail.
        for (var i = 0; i < 12; i++, bobMessages++) incident.Refused(firstBlock.AddMinutes(180 + (i * 5)), $"target{300 + i}@outlook.com", "5.7.1", Incident.S3150, "bob");
        for (var at = firstBlock.AddHours(5); at < now; at = at.AddHours(1)) incident.Sent(at, "reader@gmail.com", "alice");
        var grown = Directory.CreateDirectory(Path.Combine(dir.FullName, "grown"));
        incident.WriteTo(grown.FullName);
        var firstLog = Path.Combine(first.FullName, "maillog");
        var grownLog = Path.Combine(grown.FullName, "maillog");
        Assert.StartsWith(await File.ReadAllTextAsync(firstLog, Ct), await File.ReadAllTextAsync(grownLog, Ct), StringComparison.Ordinal);

        long ipId;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse(Incident.Ip), Label = "mx1", CreatedAt = now.AddDays(-90), Domains = ["example.com"] };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            ipId = ip.Id;
            // The operator's setting "mail that host mx1 logs leaves from 203.0.113.9".
            db.SendingIpRules.Add(new SendingIpRule { Kind = SendingIpRuleKind.LogHost, Pattern = "mx1", SendingIpId = ipId, CreatedAt = now });
            await db.SaveChangesAsync(Ct);
        }

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);

        // Both uploads through the Uploads page; the job server ingests them and the diagnosis follows.
        var firstBatch = await UploadAsync(page, firstLog);
        var firstEntries = int.Parse(await page.Locator("#count-log-entries .count-value").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var grownBatch = await UploadAsync(page, grownLog);
        var grownEntries = int.Parse(await page.Locator("#count-log-entries .count-value").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(firstBatch, grownBatch);
        Assert.True(firstEntries > 0);
        Assert.True(grownEntries < firstEntries, $"The grown log stored {grownEntries} new entries, the first upload {firstEntries}: old lines were stored again.");
        await ScreenshotAsync(page, "incident-grown-upload");

        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var deliveries = db.MtaLogDeliveries.AsNoTracking().Where(d => d.SendingIpId == ipId);
            Assert.Equal(incident.QueueIds.Count, await deliveries.CountAsync(Ct));
            Assert.Equal(48, await deliveries.CountAsync(d => d.Status == DeliveryStatus.Bounced && d.ProviderCode == "S3150", Ct));
            // The grown file's new entries are its added messages: one delivery line and one SASL login each, nothing of the first file again.
            var grownFiles = db.IngestFiles.Where(f => f.BatchId == grownBatch).Select(f => f.Id);
            var newDeliveries = await db.MtaLogDeliveries.CountAsync(d => grownFiles.Contains(d.FileId), Ct);
            var newLogins = await db.MtaLogLogins.CountAsync(l => grownFiles.Contains(l.FileId), Ct);
            Assert.Equal(incident.QueueIds.Count - messagesInFirst, newDeliveries);
            Assert.Equal(incident.QueueIds.Count - messagesInFirst, newLogins);
            Assert.Equal(newDeliveries + newLogins, grownEntries);
            Assert.Equal(bobMessages, await db.MtaLogLogins.AsNoTracking().CountAsync(l => l.User == "bob", Ct));
        }

        var status = await DiagnosedAsync(ipId);
        Assert.Equal(IpHealth.Blocked, status.Health);
        Assert.Equal(DelistingProcesses.Outlook, status.BlockedBy);
        Assert.Equal(firstRefusalLine, status.BlockedSince);

        // The IP page: verdict, codes table and the login table all from the stored lines, once each.
        await BrowserFixture.GotoLiveAsync(page, $"/ips/{ipId}");
        await page.Locator("#ip-timeline .marker-block").First.WaitForAsync();
        Assert.Contains($"Blocked by Outlook.com since {IpVerdict.FormatTime(firstRefusalLine)} (S3150)", await page.Locator("#ip-verdict").InnerTextAsync(), StringComparison.Ordinal);
        var s3150Row = await page.Locator("#ip-codes tr", new() { HasText = "S3150" }).InnerTextAsync();
        Assert.Contains("48", s3150Row, StringComparison.Ordinal);
        Assert.Contains("in logs", s3150Row, StringComparison.Ordinal);
        Assert.Contains(DelistingRequestText.Format(firstRefusalLine), s3150Row, StringComparison.Ordinal);
        var bobRow = await page.Locator("#ip-logins tr", new() { HasText = "bob" }).InnerTextAsync();
        Assert.Matches(new Regex($@"\b{bobMessages}\b"), bobRow);
        Assert.Contains("spike", bobRow, StringComparison.Ordinal);
        Assert.Contains(IpVerdict.FormatTime(firstRefusalLine), await page.Locator("#timeline-window-caption").InnerTextAsync(), StringComparison.Ordinal);

        // The checklist loads again when the circuit goes live (a moment with no items): wait for the item rather than counting once.
        await Assertions.Expect(page.Locator("#checklist-item-compromised-host")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#checklist-item-high-bounce-rate")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#checklist-item-unknown-users")).ToHaveCountAsync(0);
        var checklist = await page.Locator("#remediation-checklist").InnerTextAsync();
        Assert.DoesNotContain("bounce rate", checklist, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hard-bounced addresses", checklist, StringComparison.OrdinalIgnoreCase);

        // "Check now" through the lying resolver: every list unknown, nothing "not listed", no change event, nothing ticked.
        await RunChecksAsync(page);
        var blocklists = page.Locator("#ip-blocklists");
        await page.Locator("#ip-blocklists-untrusted").WaitForAsync();
        // The circuit re-renders the prerendered table once it is live: wait for the rows rather than counting them once.
        await Assertions.Expect(blocklists.GetByText("Unknown", new() { Exact = true })).ToHaveCountAsync(12);
        await Assertions.Expect(blocklists.GetByText("Not listed", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.Contains($"Blocked by Outlook.com since {IpVerdict.FormatTime(firstRefusalLine)}", await page.Locator("#ip-verdict").InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "incident-ip-page");
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            Assert.True(await db.CheckRuns.AnyAsync(r => r.SendingIpId == ipId, Ct));
            Assert.Empty(await db.CheckChanges.AsNoTracking().Where(c => c.SendingIpId == ipId).Select(c => c.Check + " " + c.Target + ": " + c.Summary).ToListAsync(Ct));
            Assert.Empty(await db.RemediationItems.AsNoTracking().Where(i => i.SendingIpId == ipId && i.Done).Select(i => i.Key).ToListAsync(Ct));
            var keys = await db.RemediationItems.AsNoTracking().Where(i => i.SendingIpId == ipId).Select(i => i.Key).ToListAsync(Ct);
            Assert.Contains("compromised-host", keys);
            Assert.DoesNotContain("high-bounce-rate", keys);
            Assert.DoesNotContain("unknown-users", keys);
        }

        await BrowserFixture.GotoLiveAsync(page, "/");
        await page.Locator("#dashboard-listings-empty").WaitForAsync();
        Assert.DoesNotContain("delisted from", await page.Locator(".mud-main-content").InnerTextAsync(), StringComparison.Ordinal);

        // The Outlook.com case, from the IP page to the submission.
        await BrowserFixture.GotoLiveAsync(page, $"/ips/{ipId}");
        await BrowserFixture.OpenOutlookCaseFromIpPageAsync(page);
        Assert.Contains("S3150", await page.Locator(".step-find-error").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator(".step-find-error.current #complete-step").ClickAsync();

        List<string> openTitles;
        string compromised;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            openTitles = await db.RemediationItems.AsNoTracking().Where(i => i.SendingIpId == ipId && !i.Done).OrderBy(i => i.Position).Select(i => i.Title).ToListAsync(Ct);
            compromised = await db.RemediationItems.AsNoTracking().Where(i => i.SendingIpId == ipId && i.Key == "compromised-host").Select(i => i.Title).SingleAsync(Ct);
        }

        await page.Locator(".step-fix-causes.current").WaitForAsync();
        var openItems = await page.Locator(".step-fix-causes").InnerTextAsync();
        Assert.Contains($"{openTitles.Count} remediation items are still open", openItems, StringComparison.Ordinal);
        Assert.Contains(compromised, openItems, StringComparison.Ordinal);
        await page.Locator(".step-fix-causes.current #complete-step").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move on anyway" }).ClickAsync();

        // Nothing the resolver said can be trusted: the steps that claim a fact are overridden with the reason, never plain done.
        foreach (var (step, next) in new[] { ("sender-score", "authentication"), ("authentication", "snds-jmrp"), ("snds-jmrp", "prepare-request") })
        {
            await BrowserFixture.CompleteOrOverrideStepAsync(page, step, next, $"Checked by hand: our resolver is not answering correctly ({step})");
        }

        var request = await page.Locator("#request-text").InnerTextAsync();
        Assert.Contains($"IP address: {Incident.Ip}", request, StringComparison.Ordinal);
        Assert.Contains("Error code: S3150", request, StringComparison.Ordinal);
        Assert.Contains($"First refused: {DelistingRequestText.Format(firstRefusalLine)}", request, StringComparison.Ordinal);
        Assert.Contains($"Still open on our side ({openTitles.Count} items of our remediation checklist):", request, StringComparison.Ordinal);
        foreach (var title in openTitles) Assert.Contains($"- {title}\n", request, StringComparison.Ordinal);
        Assert.DoesNotContain("no open problem", request, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("has no open item", request, StringComparison.Ordinal);

        await page.ClickAsync("#copy-request-text");
        var warning = page.Locator(".mud-dialog", new() { HasText = "Send the request with open problems?" });
        await warning.WaitForAsync();
        Assert.Contains($"Still open: {compromised}", await warning.InnerTextAsync(), StringComparison.Ordinal);
        await warning.GetByText("Not yet").ClickAsync();
        await warning.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await ScreenshotAsync(page, "incident-request");

        await page.Locator(".step-prepare-request.current #complete-step").ClickAsync();
        await page.Locator(".step-submit.current").WaitForAsync();
        await BrowserFixture.RecordSubmissionAsync(page, "SRX5550001111ID");
        Assert.Matches(new Regex($@"with {openTitles.Count} remediation items still open \(confirmed\)"), await page.Locator("#case-audit").InnerTextAsync());

        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var saved = await db.DelistingCases.AsNoTracking().SingleAsync(c => c.SendingIpId == ipId, Ct);
            Assert.Equal(DelistingCaseState.Submitted, saved.State);
            Assert.Equal("SRX5550001111ID", saved.TicketNumber);
            Assert.Equal(firstRefusalLine, saved.FirstBlockAt);
            Assert.Empty(await db.CheckChanges.AsNoTracking().Where(c => c.SendingIpId == ipId).Select(c => c.Check).ToListAsync(Ct));
        }

        dir.Delete(recursive: true);
    }

    /// <summary>Chooses one file on the Uploads page, uploads it and waits on the batch page until the job server has completed it.</summary>
    private static async Task<long> UploadAsync(IPage page, string file)
    {
        await BrowserFixture.UploadFilesAsync(page, file);
        await page.WaitForURLAsync(BatchUrl());
        var batchId = long.Parse(BatchUrl().Match(page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("#batch-status").GetByText("Completed").WaitForAsync(new() { Timeout = 120_000 });
        return batchId;
    }

    /// <summary>The IP's status once the diagnosis after the uploads has named the block (it runs as a job after ingestion).</summary>
    private async Task<IpStatusSnapshot> DiagnosedAsync(long ipId)
    {
        for (var i = 0; ; i++)
        {
            await using var db = app.Factory.Database.CreateDbContext();
            var status = await db.IpStatus.AsNoTracking().SingleOrDefaultAsync(s => s.SendingIpId == ipId, Ct);
            var diagnosedAfterUploads = status is not null && await db.IngestBatches.AsNoTracking().AllAsync(b => b.FinishedAt != null && b.FinishedAt <= status.ComputedAt, Ct);
            if (diagnosedAfterUploads || i == 120) return status ?? throw new InvalidOperationException("The IP was never diagnosed.");
            await Task.Delay(500, Ct);
        }
    }

    /// <summary>Presses "Check now" and waits until the page shows the run's results and the diagnosis after it.</summary>
    private static async Task RunChecksAsync(IPage page)
    {
        var button = page.Locator("#check-now");
        await BrowserFixture.UntilAsync(() => button.ClickAsync(), async () => (await button.TextContentAsync() ?? "").Contains("Checking", StringComparison.Ordinal));
        await button.GetByText("Check now").WaitForAsync(new() { Timeout = 120_000 });
        await page.Locator("#remediation-checklist").WaitForAsync();
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.Mouse.MoveAsync(0, 0);
        await BrowserFixture.UntilAsync(() => page.EvaluateAsync("() => window.scrollTo(0, 0)"), async () => await page.Locator(".mud-snackbar").CountAsync() == 0, attempts: 10);
        await BrowserFixture.ScreenshotAsync(page, name);
    }

    [GeneratedRegex(@"/uploads/(\d+)$")]
    private static partial Regex BatchUrl();
}
