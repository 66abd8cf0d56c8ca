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
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>
/// A delisting case from the browser: an IP blocked by Outlook.com (the S3150 fixture, stored as ingestion stores it) gets a
/// case, goes through the steps to the submission with a ticket number, and shows its due times.
/// </summary>
public class DelistingTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OutlookCase_FromOpeningToSubmission_ShowsTheRequestAndTheDueTimes()
    {
        var ipId = await SeedBlockedIpAsync();
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/delisting");
        await page.Locator("#delisting-cases").WaitForAsync();

        // The dialog pre-selects the blocked IP and the provider blocking it.
        var openCase = page.Locator("#open-case");
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#open-delisting-case"), () => openCase.IsVisibleAsync());
        await page.Locator(".mud-dialog").GetByText("Outlook.com (blocking the IP)").WaitForAsync();
        await openCase.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/delisting/\d+$"));
        await page.Locator(".step-find-error.current").WaitForAsync();
        Assert.Contains("S3150 (1 bounce)", await page.Locator(".step-find-error").InnerTextAsync(), StringComparison.Ordinal);

        foreach (var (step, next) in new[]
                 {
                     ("find-error", "fix-causes"), ("fix-causes", "sender-score"), ("sender-score", "authentication"),
                     ("authentication", "snds-jmrp"),
                 })
        {
            await page.Locator($".step-{step}.current #complete-step").ClickAsync();
            await page.Locator($".step-{next}.current").WaitForAsync();
        }

        // No SNDS data for the IP: "Registered" cannot be claimed, only overridden with a reason that the request names.
        Assert.True(await page.Locator(".step-snds-jmrp.current #complete-step").IsDisabledAsync());
        Assert.Contains("No SNDS data for this IP has been imported", await page.Locator(".step-snds-jmrp #step-claim").InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("#override-step");
        await page.Locator("#override-reason").FillAsync("Registered today; the first SNDS export comes tomorrow");
        await page.Locator("#override-reason").BlurAsync();
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#confirm-override"), () => page.Locator(".step-prepare-request.current").IsVisibleAsync());
        Assert.Contains("Overridden", await page.Locator(".step-snds-jmrp").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Registered today; the first SNDS export comes tomorrow", await page.Locator(".step-snds-jmrp").InnerTextAsync(), StringComparison.Ordinal);

        var request = await page.Locator("#request-text").InnerTextAsync();
        Assert.Contains("IP address: 203.0.113.5", request, StringComparison.Ordinal);
        Assert.Contains("Error code: S3150", request, StringComparison.Ordinal);
        Assert.Contains("Message-ID: <newsletter-2026-03.42@example.com>", request, StringComparison.Ordinal);
        Assert.Contains("- SPF, DKIM, DMARC and PTR pass: yes. All 5 checks pass", request, StringComparison.Ordinal);
        Assert.Contains("- Register SNDS and JMRP: overridden by admin@example.com", request, StringComparison.Ordinal);

        // Copying a request with an overridden step asks first and says why.
        await page.ClickAsync("#copy-request-text");
        var warning = page.Locator(".mud-dialog", new() { HasText = "Send the request with open problems?" });
        await warning.WaitForAsync();
        Assert.Contains("Overridden: \"Register SNDS and JMRP\"", await warning.InnerTextAsync(), StringComparison.Ordinal);
        await warning.GetByText("Not yet").ClickAsync();
        await warning.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        Assert.Equal(Core.Providers.ProviderCodeCatalog.OutlookSenderSupportUrl, await page.Locator(".step-prepare-request #step-link").GetAttributeAsync("href"));
        await page.Locator(".step-prepare-request.current #complete-step").ClickAsync();
        await page.Locator(".step-submit.current").WaitForAsync();

        // Without a ticket number the submission is refused with a message that says what to enter.
        await page.ClickAsync("#record-submission");
        await page.GetByText("Enter the ticket number Microsoft gave you.").WaitForAsync();
        await page.Locator("#ticket-number").FillAsync("SRX1234567890ID");
        await page.Locator("#ticket-number").BlurAsync();
        // The typed number reaches the server with the change event; on a busy machine a click can overtake it and be
        // refused once more, so click until the submission is recorded. (The page re-reads the case after that refusal;
        // the form keeps the typed number through it: DelistingTimesFormTests.)
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#record-submission"), () => page.Locator(".step-track-replies.current").IsVisibleAsync());

        await page.Locator("#case-ticket").GetByText("Ticket SRX1234567890ID").WaitForAsync();
        var deadlines = await page.Locator("#case-deadlines").InnerTextAsync();
        Assert.Contains("First reply due", deadlines, StringComparison.Ordinal);
        Assert.Contains("Decision due", deadlines, StringComparison.Ordinal);
        Assert.Contains("due in 23 h", deadlines, StringComparison.Ordinal);
        Assert.Contains("due in 47 h", deadlines, StringComparison.Ordinal);
        Assert.Contains("Submitted", await page.Locator(".case-state").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("recorded the submission", await page.Locator("#case-audit").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Sender Score 91/100", await page.Locator(".step-sender-score").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("All 5 checks pass (checked", await page.Locator(".step-authentication").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotWithoutSnackbarsAsync(page, "delisting-case");

        await BrowserFixture.GotoLiveAsync(page, "/delisting");
        var row = page.Locator("#delisting-cases tr", new() { Has = page.Locator($"a[href='/ips/{ipId}']") });
        await row.GetByText("Track the answers").WaitForAsync();
        Assert.Contains("due in 23 h", await row.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotWithoutSnackbarsAsync(page, "delisting-list");

        await using var db = app.Factory.Database.CreateDbContext();
        var saved = await db.DelistingCases.SingleAsync(c => c.SendingIpId == ipId, Ct);
        Assert.Equal(DelistingCaseState.Submitted, saved.State);
        Assert.Equal("SRX1234567890ID", saved.TicketNumber);
        Assert.Equal(BrowserFixture.AdminEmail, saved.OpenedBy);
    }

    [Fact]
    public async Task IncidentCase_WithOpenItemsAndFailingChecks_RefusesTheClaimAndWarnsBeforeCopying()
    {
        var ipId = await SeedIncidentIpAsync();
        var cases = app.Factory.Services.GetRequiredService<DelistingCases>();
        var opened = await cases.OpenAsync(ipId, DelistingProcesses.Outlook, BrowserFixture.AdminEmail, Ct);
        await cases.CompleteStepAsync(opened.Id, "find-error", null, false, BrowserFixture.AdminEmail, Ct);
        await cases.CompleteStepAsync(opened.Id, "fix-causes", null, confirmOpenItems: true, BrowserFixture.AdminEmail, Ct);
        await cases.SkipStepAsync(opened.Id, "sender-score", "No score yet", BrowserFixture.AdminEmail, Ct);
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);

        await BrowserFixture.GotoLiveAsync(page, $"/delisting/{opened.Id}");
        await page.Locator(".step-authentication.current").WaitForAsync();

        Assert.Contains("Overridden", await page.Locator(".step-fix-causes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Not verified: 0 of 5 checks pass", await page.Locator(".step-authentication #step-claim").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator(".step-authentication.current #complete-step").IsDisabledAsync());
        await page.ClickAsync("#override-step");
        await page.Locator("#override-form").WaitForAsync();
        await BrowserFixture.ScreenshotWithoutSnackbarsAsync(page, "delisting-case-not-verified");
    }

    /// <summary>The incident of issue 11: a blocked IP with a hijacked account, SPF, DKIM, DMARC and PTR failing, 8 items open.</summary>
    private async Task<long> SeedIncidentIpAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = app.Factory.Database.CreateDbContext();
        var ip = new SendingIp { Address = IPAddress.Parse("203.0.113.77"), Label = "mx7", CreatedAt = now.AddDays(-60), Domains = ["example.com"] };
        db.SendingIps.Add(ip);
        await db.SaveChangesAsync(Ct);
        string[] titles =
        [
            "Secure the compromised SMTP account newsletter@example.com", "Fix SPF for example.com", "Fix DKIM for example.com", "Publish DMARC for example.com",
            "Publish a PTR record for 203.0.113.77", "Make the PTR name resolve back to 203.0.113.77", "Stop the complaint spike", "Slow down after the block",
        ];
        db.RemediationItems.AddRange(titles.Select((title, i) => new RemediationItem
        {
            SendingIpId = ip.Id, Key = $"item-{i}", Title = title, Action = "See the IP page.", VerifiedBy = "a person",
            Verification = RemediationVerification.Manual, RaisedAt = now.AddHours(-3), UpdatedAt = now, Position = i,
        }));
        await db.SaveChangesAsync(Ct);
        await StoreCheckRunAsync(db, ip.Id, now.AddMinutes(-5),
            ("spf", "example.com", CheckStatus.Fail, "SPF fails: 203.0.113.77 is not permitted.", "{}"),
            ("dkim", "mail2026._domainkey.example.com", CheckStatus.Fail, "No DKIM key at mail2026._domainkey.example.com.", "{}"),
            ("dmarc", "example.com", CheckStatus.Fail, "No DMARC record.", "{}"),
            ("ptr", "203.0.113.77", CheckStatus.Fail, "No PTR record.", "{}"),
            ("fcrdns", "203.0.113.77", CheckStatus.Fail, "No PTR name to resolve back.", "{}"));
        return ip.Id;
    }

    /// <summary>The evidence the diagnosis and the checks would have left: the bounce, the IP status, a fixed item, the latest checks.</summary>
    private async Task<long> SeedBlockedIpAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var blockedAt = now.AddHours(-20);
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces", "outlook-s3150.eml"));
        using var gzip = new MemoryStream();
        await using (var zip = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync(bytes, Ct);
        }

        await using var db = app.Factory.Database.CreateDbContext();
        var ip = new SendingIp { Address = IPAddress.Parse("203.0.113.5"), Label = "mx1", CreatedAt = now.AddDays(-60), Domains = ["example.com"] };
        db.SendingIps.Add(ip);
        var raw = new RawMessage { Sha256 = SHA256.HashData(bytes), Size = bytes.Length, Gzip = gzip.ToArray(), FirstBatchId = 1, ReceivedAt = blockedAt, Kind = MessageKind.Bounce, Subject = "Undelivered Mail Returned to Sender" };
        db.RawMessages.Add(raw);
        await db.SaveChangesAsync(Ct);
        db.Bounces.Add(new Bounce
        {
            RawMessageId = raw.Id,
            BatchId = 1,
            SendingIpId = ip.Id,
            Recipient = "alice@hotmail.com",
            RecipientDomain = "hotmail.com",
            Reason = "blocked",
            Kind = BounceKind.Bounce,
            HardBounce = true,
            Provider = DelistingProcesses.Outlook,
            ProviderCode = "S3150",
            Status = "5.7.1",
            ReplyCode = 550,
            Diagnostic = "550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
            OccurredAt = blockedAt,
        });
        db.IpStatus.Add(new IpStatusSnapshot
        {
            SendingIpId = ip.Id,
            Health = IpHealth.Blocked,
            BlockedBy = DelistingProcesses.Outlook,
            BlockCode = "S3150",
            BlockedSince = blockedAt,
            Verdict = "Refused by Outlook.com (S3150)",
            ComputedAt = now,
        });
        db.RemediationItems.Add(new RemediationItem
        {
            SendingIpId = ip.Id,
            Key = "ptr",
            Title = "PTR record names the mail server",
            Action = "Set the PTR of 203.0.113.5 to mx1.example.com.",
            VerifiedBy = "PTR and FCrDNS checks pass",
            Verification = RemediationVerification.Check,
            Done = true,
            DoneAt = now.AddHours(-2),
            RaisedAt = blockedAt,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync(Ct);
        await StoreCheckRunAsync(db, ip.Id, now.AddMinutes(-5),
            ("senderscore", "5.113.0.203.score.senderscore.com", CheckStatus.Pass, "Sender Score 91/100: healthy.", """{"score": 91}"""),
            ("spf", "example.com", CheckStatus.Pass, "SPF passes for 203.0.113.5.", "{}"),
            ("dkim", "mail2026._domainkey.example.com", CheckStatus.Pass, "DKIM key found, RSA 2048 bits.", "{}"),
            ("dmarc", "example.com", CheckStatus.Pass, "DMARC p=quarantine.", "{}"),
            ("ptr", "203.0.113.5", CheckStatus.Pass, "PTR mx1.example.com.", "{}"),
            ("fcrdns", "203.0.113.5", CheckStatus.Pass, "mx1.example.com resolves back to 203.0.113.5.", "{}"));
        return ip.Id;
    }

    /// <summary>A completed check run of the IP, finished at <paramref name="at"/>, with these results (details "{}" unless given).</summary>
    private static async Task StoreCheckRunAsync(DeliverabilityDbContext db, long ipId, DateTimeOffset at, params (string Check, string Target, CheckStatus Status, string Summary, string Details)[] results)
    {
        var run = new CheckRun { SendingIpId = ipId, StartedAt = at, FinishedAt = at, Status = CheckRunStatus.Completed, Trigger = CheckTrigger.Manual };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync(Ct);
        db.CheckResults.AddRange(results.Select(r => new StoredCheckResult
        {
            RunId = run.Id, SendingIpId = ipId, Check = r.Check, Target = r.Target, Status = r.Status, Summary = r.Summary, Details = r.Details, CheckedAt = at,
        }));
        await db.SaveChangesAsync(Ct);
    }
}
