using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>An operator adds an IP to track, is refused a duplicate, then stops tracking it after reading what that deletes.</summary>
public class SendingIpTrackingTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string Address = "198.51.100.77";

    [Fact]
    public async Task AddThenDelete_TheListFollowsAndTheConfirmationSaysWhatStays()
    {
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/ips");
        await page.Locator("#ips-grid").WaitForAsync();

        await AddAsync(page, Address, "mx-77");
        await page.Locator("#ips-grid").GetByText(Address).WaitForAsync();

        // The same address again: the dialog says so and stays open.
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-ip"), () => page.Locator("#ip-address").IsVisibleAsync());
        await page.FillAsync("#ip-address", Address);
        await page.Locator("#ip-address").BlurAsync();
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#save-ip"), () => page.GetByText($"{Address} is already tracked.").IsVisibleAsync());
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GetByLabel($"Delete {Address}").ClickAsync();
        var confirm = page.Locator(".mud-dialog");
        await confirm.GetByText(SendingIpTracking.StopTrackingConsequences).WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "sending-ip-delete-confirmation");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("#ips-grid").GetByText(Address)).ToHaveCountAsync(0);
        await using var db = app.Factory.Database.CreateDbContext();
        Assert.False(await db.SendingIps.AnyAsync(x => x.Address == System.Net.IPAddress.Parse(Address), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AddSendingIp_DoubleClicked_OpensOneDialog()
    {
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/ips");
        await page.Locator("#ips-grid").WaitForAsync();

        // Both clicks reach the server before the first dialog's overlay reaches the browser.
        await page.DblClickAsync("#add-ip");
        await page.Locator("#ip-address").First.WaitForAsync();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        await Assertions.Expect(page.Locator("#ip-address")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(1);
    }

    private static async Task AddAsync(IPage page, string address, string label)
    {
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-ip"), () => page.Locator("#ip-address").IsVisibleAsync());
        await page.FillAsync("#ip-address", address);
        await page.FillAsync("#ip-label", label);
        await page.Locator("#ip-label").BlurAsync();
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#save-ip"), async () => !await page.Locator("#ip-address").IsVisibleAsync());
    }
}
