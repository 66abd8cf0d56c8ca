using System.Net;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Ips;
using Deliverability.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.E2E;

/// <summary>The DNS checks settings page (/settings/checks) and the check actions on the Sending IPs page, on their own database.</summary>
public class ChecksSettingsTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private async Task SeedAsync()
    {
        await using var db = app.Factory.Database.CreateDbContext();
        if (db.SendingIps.Any()) return;
        var mx1 = new SendingIp
        {
            Address = IPAddress.Parse("192.0.2.10"), Label = "mx1", CreatedAt = DateTimeOffset.UtcNow,
            Domains = ["good.test"], DkimSelectors = ["good.test:rsa2048"], HeloName = "mail.good.test",
        };
        var mx2 = new SendingIp { Address = IPAddress.Parse("192.0.2.26"), Label = "newsletters", CreatedAt = DateTimeOffset.UtcNow, ChecksEnabled = false };
        db.SendingIps.AddRange(mx1, mx2);
        await db.SaveChangesAsync();
        db.CheckRuns.Add(new CheckRun
        {
            SendingIpId = mx1.Id, StartedAt = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), FinishedAt = new DateTimeOffset(2026, 11, 28, 12, 0, 4, TimeSpan.Zero),
            Trigger = CheckTrigger.Scheduled, Status = CheckRunStatus.Completed, PassCount = 18, WarnCount = 1,
        });
        db.BlocklistSettings.Add(new BlocklistSetting { Zone = "b.barracudacentral.org", Enabled = true, UpdatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        await app.Factory.Services.GetRequiredService<SpamhausDqsKeys>().SaveAsync("abcdefghijklmnopqrstuvwxyz1234", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ChecksSettings_WhenAdmin_ShowsIpsResolverMaskedKeyAndListsAndEditsAnIp()
    {
        await SeedAsync();
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/settings/checks");

        await page.Locator("#check-ips-table").GetByText("mail.good.test").WaitForAsync();
        await page.Locator("#blocklists-table").GetByText("Spamhaus ZEN").WaitForAsync();
        // The settings load after the tables on a slow machine: wait for the masked key rather than read too early.
        await page.Locator("#dqs-status").GetByText("••••1234").WaitForAsync();
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz1234", await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "checks-settings");

        await BrowserFixture.UntilAsync(() => page.GetByLabel("Edit checks of 192.0.2.26").ClickAsync(), () => page.Locator("#check-domains").IsVisibleAsync());
        await page.FillAsync("#check-domains", "news.example.com\nexample.com");
        await page.FillAsync("#check-dkim", "example.com-no-selector");
        await page.ClickAsync("#save-check-config");
        await page.GetByText("is not domain:selector").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "checks-settings-edit");
        await page.FillAsync("#check-dkim", "example.com:news2026");
        await page.ClickAsync("#save-check-config");
        await page.Locator("#check-ips-table").GetByText("example.com:news2026").WaitForAsync();

        await using var db = app.Factory.Database.CreateDbContext();
        var ip = db.SendingIps.Single(x => x.Address == IPAddress.Parse("192.0.2.26"));
        Assert.Equal(["news.example.com", "example.com"], ip.Domains);
        Assert.Equal(["example.com:news2026"], ip.DkimSelectors);
    }

    [Fact]
    public async Task ChecksSettings_WhenViewer_IsReadOnly()
    {
        await SeedAsync();
        await app.Factory.AddUserAsync("viewer@example.com", Roles.Viewer);
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "viewer@example.com");
        await BrowserFixture.GotoLiveAsync(page, "/settings/checks");

        await page.Locator("#read-only-note").WaitForAsync();
        Assert.Equal(0, await page.Locator("#dqs-key").CountAsync());
        Assert.Equal(0, await page.GetByLabel("Edit checks of 192.0.2.10").CountAsync());
        await BrowserFixture.ScreenshotAsync(page, "checks-settings-viewer");
    }

    [Fact]
    public async Task ChecksSettings_WhenOperator_SeesThatAKeyIsStoredButNeitherItNorAWayToChangeIt()
    {
        await SeedAsync();
        await app.Factory.AddUserAsync("operator-dqs@example.com", Roles.Operator);
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "operator-dqs@example.com");
        await BrowserFixture.GotoLiveAsync(page, "/settings/checks");

        await page.Locator("#dqs-status").GetByText("A key is stored").WaitForAsync();
        await page.Locator("#dqs-admin-only").WaitForAsync();
        Assert.Equal(0, await page.Locator("#dqs-key").CountAsync());
        Assert.DoesNotContain("1234", await page.Locator("#dqs-status").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendingIps_WhenCheckNowClicked_SaysTheCheckIsQueued()
    {
        await SeedAsync();
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/ips");

        await page.Locator("#ips-grid").GetByText("192.0.2.10").WaitForAsync();
        var snackbar = page.GetByText("Checking 192.0.2.10");
        await BrowserFixture.UntilAsync(() => page.GetByLabel("Check 192.0.2.10 now").ClickAsync(), () => snackbar.IsVisibleAsync());
        await Task.Delay(600, TestContext.Current.CancellationToken); // let the snackbar finish fading in before the screenshot
        await BrowserFixture.ScreenshotAsync(page, "sending-ips-check-now");
    }
}
