using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>Its own database: the dashboard must be empty here whatever other tests add.</summary>
public class DashboardTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignIn_AsAdmin_ShowsDashboardAndThemeToggles()
    {
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);

        await page.Locator("#dashboard-empty").WaitForAsync();
        Assert.Contains("No sending IPs yet", await page.Locator("#dashboard-empty").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(BrowserFixture.AdminEmail, await page.Locator("#signed-in-user").InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, "dashboard-empty");

        var before = await BackgroundAsync(page);
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#theme-toggle"), async () => await BackgroundAsync(page) != before);
        Assert.Equal("rgb(13, 19, 32)", await BackgroundAsync(page));
        await BrowserFixture.ScreenshotAsync(page, "dashboard-dark");

        // The choice is remembered on this browser.
        await page.ReloadAsync();
        await BrowserFixture.UntilAsync(() => Task.CompletedTask, async () => await BackgroundAsync(page) == "rgb(13, 19, 32)");
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
