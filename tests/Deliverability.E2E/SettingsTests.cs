using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;

namespace Deliverability.E2E;

public class SettingsTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewApiKey_IsShownOnceWorksAgainstTheApiAndStopsWorkingWhenRevoked()
    {
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/settings");
        var keysTab = page.GetByRole(AriaRole.Tab, new() { Name = "API keys" });
        await BrowserFixture.UntilAsync(() => keysTab.ClickAsync(), () => page.Locator("#new-api-key").IsVisibleAsync());
        await page.Locator("#api-keys-table").GetByText("No API keys yet").WaitForAsync();

        await page.ClickAsync("#new-api-key");
        await page.FillAsync("#api-key-name", "postfix on mx1");
        await page.ClickAsync("#create-api-key");
        await page.Locator("#api-key-token").WaitForAsync();
        var token = await page.InputValueAsync("#api-key-token");
        Assert.StartsWith("dlv_", token, StringComparison.Ordinal);
        var curl = await page.Locator("#api-key-curl").InnerTextAsync();
        Assert.Contains($"curl -H \"Authorization: Bearer {token}\" --data-binary @bounce.eml {app.BaseUrl}/api/v1/messages", curl, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "settings");

        await page.ClickAsync("#api-key-done");
        await page.Locator("#api-keys-table").GetByText("postfix on mx1").WaitForAsync();
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains(token[..12], await page.Locator("#api-keys-table").InnerTextAsync(), StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        Assert.Equal(HttpStatusCode.Accepted, await PostBounceAsync(http, token));

        await page.Locator("#api-keys-table .revoke-key").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await page.Locator("#api-keys-table").GetByText("revoked").WaitForAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await PostBounceAsync(http, token));
    }

    [Fact]
    public async Task AttributionRules_AddAndDelete_ShowInTheTable()
    {
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            db.SendingIps.Add(new Core.Ips.SendingIp { Address = IPAddress.Parse("192.0.2.25"), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/settings");
        var rulesTab = page.GetByRole(AriaRole.Tab, new() { Name = "Attribution rules" });
        await BrowserFixture.UntilAsync(() => rulesTab.ClickAsync(), () => page.Locator("#add-rule").IsVisibleAsync());

        await page.ClickAsync("#add-rule");
        await page.FillAsync("#rule-pattern", "not a host!");
        await page.ClickAsync("#save-rule");
        await page.GetByText("is not a host name").WaitForAsync();
        await page.FillAsync("#rule-pattern", "*.Mail.Example.com.");
        await page.ClickAsync("#save-rule");
        await page.Locator("#rules-table").GetByText("*.mail.example.com").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "settings-rules");

        await page.Locator("#rules-table").GetByRole(AriaRole.Button, new() { Name = "Delete the rule for *.mail.example.com" }).ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await page.Locator("#rules-table").GetByText("No rules yet").WaitForAsync();
    }

    [Fact]
    public async Task Storage_ShowsThePartitions_AndSaysWhatEachRetentionWouldRemoveBeforeTheDailyRunDoesIt()
    {
        var old = DateTimeOffset.UtcNow.AddMonths(-14);
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var batch = new Core.Ingestion.IngestBatch { CreatedAt = old, CreatedBy = "tests", Status = Core.Ingestion.IngestStatus.Completed };
            db.IngestBatches.Add(batch);
            await db.SaveChangesAsync(Ct);
            var raw = new Core.Ingestion.RawMessage { Sha256 = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), Gzip = [], FirstBatchId = batch.Id, ReceivedAt = old };
            db.RawMessages.Add(raw);
            await db.SaveChangesAsync(Ct);
            db.Bounces.Add(new Core.Ingestion.Bounce
            {
                RawMessageId = raw.Id, BatchId = batch.Id, Recipient = "old@example.net", Reason = "userunknown", HardBounce = true,
                Kind = Core.Bounces.BounceKind.Bounce, OccurredAt = old,
            });
            await db.SaveChangesAsync(Ct);

            // A check run from before the retention and the IP's latest one: only the old run's results may go.
            var ip = new Core.Ips.SendingIp { Address = System.Net.IPAddress.Parse("198.51.100.77"), CreatedAt = old };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            foreach (var at in new[] { old, DateTimeOffset.UtcNow.AddDays(-1) })
            {
                var run = new Core.Checks.Storage.CheckRun
                {
                    SendingIpId = ip.Id, StartedAt = at, FinishedAt = at.AddMinutes(1), Trigger = Core.Checks.Storage.CheckTrigger.Scheduled,
                    Status = Core.Checks.Storage.CheckRunStatus.Completed,
                };
                db.CheckRuns.Add(run);
                await db.SaveChangesAsync(Ct);
                db.CheckResults.AddRange(SeededChecks.Select(check => new Core.Checks.Storage.StoredCheckResult
                {
                    RunId = run.Id, SendingIpId = ip.Id, Check = check, Target = "198.51.100.77", Status = Core.Checks.CheckStatus.Pass,
                    Summary = "checked", Details = "{}", CheckedAt = at,
                }));
                await db.SaveChangesAsync(Ct);
            }
        }

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/settings");
        var storageTab = page.GetByRole(AriaRole.Tab, new() { Name = "Storage" });
        await BrowserFixture.UntilAsync(() => storageTab.ClickAsync(), () => page.Locator("#bounce-partitions").IsVisibleAsync());
        var partitions = await page.Locator("#bounce-partitions").InnerTextAsync();
        Assert.Contains("bounces_history", partitions, StringComparison.Ordinal);
        Assert.Contains("anything outside the other ranges", partitions, StringComparison.Ordinal);
        Assert.Contains("Everything is kept", await page.Locator("#retention-next-run").InnerTextAsync(), StringComparison.Ordinal);

        await BrowserFixture.ChooseAsync(page, page.Locator(".mud-select:has(#bounce-retention)").First, "1 year");
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#save-retention"),
            async () => (await page.Locator("#retention-next-run").InnerTextAsync()).Contains("removes 1 bounce from before", StringComparison.Ordinal));
        Assert.Contains("1 row deleted from the partition of everything before", await page.Locator("#retention-next-run").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByText("Set by " + BrowserFixture.AdminEmail).WaitForAsync();

        Assert.Contains("Everything is kept", await page.Locator("#log-lines-next-run").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ChooseAsync(page, page.Locator(".mud-select:has(#check-results-retention)").First, "1 year");
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#save-check-results-retention"),
            async () => (await page.Locator("#check-results-next-run").InnerTextAsync()).Contains("removes 2 check results from before", StringComparison.Ordinal));
        Assert.Contains("each IP's latest run", await page.Locator("#check-results-next-run").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotWithoutSnackbarsAsync(page, "settings-storage");
    }

    private static readonly string[] SeededChecks = ["ptr", "blocklist:zen.spamhaus.org"];

    private static async Task<HttpStatusCode> PostBounceAsync(HttpClient http, string token)
    {
        var bounce = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces", "qmail-userunknown.eml"), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = new ByteArrayContent(bounce) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
