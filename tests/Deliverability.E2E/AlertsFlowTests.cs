using System.Globalization;
using System.Text.Json;
using Deliverability.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Deliverability.E2E;

/// <summary>The app with its Hangfire server (uploads are ingested, alerts delivered) and an HTTP receiver standing in for Slack.</summary>
public sealed class AlertsFlowFixture : BrowserFixture
{
    public WebhookReceiver Slack { get; } = new();

    protected override async Task<DeliverabilityAppFactory> CreateFactoryAsync() => new(await TestDatabase.CreateAsync(), runJobServer: true);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

/// <summary>An Admin adds a Slack webhook on the alert settings page, a block arrives, and the alert is in the history, sent.</summary>
public sealed class AlertsFlowTests(AlertsFlowFixture app) : IClassFixture<AlertsFlowFixture>
{
    private const string Address = "198.51.100.61";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SlackChannelAdded_ThenAnS3150BounceUploaded_TheAlertIsInTheHistorySentToSlack()
    {
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/settings/alerts");
        var save = page.Locator("#save-channel");
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-channel"), () => save.IsVisibleAsync());
        await page.Locator("#channel-name").FillAsync("Slack #mail-ops");
        await page.Locator("#channel-url").FillAsync(app.Slack.Url("/services/T000/B000/alerts"));
        await page.Locator("#channel-url").BlurAsync();
        await BrowserFixture.UntilAsync(() => save.ClickAsync(), async () => !await save.IsVisibleAsync());
        var row = page.Locator("#alert-channels tr", new() { HasText = "Slack #mail-ops" });
        await Expect(row).ToContainTextAsync($"127.0.0.1:{app.Slack.Port}");
        // The URL carries Slack's token: the page shows the host only.
        await Expect(page.Locator("body")).Not.ToContainTextAsync("/services/T000/B000/alerts");
        await Expect(page.Locator("#alert-rules")).ToContainTextAsync("An IP newly blocked by a provider");
        await BrowserFixture.ScreenshotAsync(page, "alert-settings");

        // A fresh S3150 bounce for the IP, uploaded like any other: ingest, diagnosis, alert, delivery run on the job server.
        var now = DateTimeOffset.UtcNow;
        var eml = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "Alerts", "outlook-s3150-alert.eml"), Ct))
            .Replace("Tue, 10 Mar 2026 10:42:", now.AddMinutes(-5).ToString("ddd, dd MMM yyyy HH:mm:", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("SENDING_IP", Address, StringComparison.Ordinal)
            .Replace("RECIPIENT", "reader@outlook.com", StringComparison.Ordinal)
            .Replace("MESSAGE_ID", "e2e", StringComparison.Ordinal);
        var file = Path.Combine(Directory.CreateTempSubdirectory("deliverability-e2e-alerts-").FullName, "s3150.eml");
        await File.WriteAllTextAsync(file, eml, Ct);
        await BrowserFixture.UploadFilesAsync(page, file);
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/uploads/\d+$"));

        var title = $"Blocked by Outlook.com: {Address}";
        var alert = page.Locator("#alert-history tr", new() { HasText = title });
        var delivered = alert.Locator(".delivery[data-status=Sent]", new() { HasText = "Slack #mail-ops: sent" });
        // The history is read when the page opens: reopen it until the job server has sent the alert.
        await BrowserFixture.UntilAsync(() => BrowserFixture.GotoLiveAsync(page, "/alerts"), () => delivered.IsVisibleAsync());
        await Expect(delivered).ToBeVisibleAsync();
        await Expect(alert).ToContainTextAsync("Blocked by Outlook.com since");
        await Expect(alert).ToContainTextAsync("(S3150)");
        await BrowserFixture.ScreenshotAsync(page, "alert-history");

        var received = Assert.Single(app.Slack.At("/services/T000/B000/alerts"));
        using var json = JsonDocument.Parse(received.Body);
        Assert.Equal(title, json.RootElement.GetProperty("text").GetString());

        // The alert links to the IP's page.
        await alert.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/ips/\d+$"));
        await Expect(page.Locator("body")).ToContainTextAsync(Address);
    }
}
