namespace Deliverability.E2E;

public class SignInAndShellTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignIn_WhenPasswordWrong_ShowsAnErrorAndStaysOnSignIn()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);

        await BrowserFixture.SignInAsync(page, password: "not-the-password");

        var error = page.Locator("#sign-in-error");
        await error.WaitForAsync();
        Assert.Contains("e-mail or password is wrong", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(BrowserFixture.AdminEmail, await page.InputValueAsync("#email"));
        await BrowserFixture.ScreenshotAsync(page, "sign-in-error");
    }

    [Fact]
    public async Task AddSendingIp_WhenAdmin_ShowsItOnTheDashboard()
    {
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/ips");

        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-ip"), () => page.Locator("#ip-address").IsVisibleAsync());
        await page.FillAsync("#ip-address", "203.0.113.77");
        await page.ClickAsync("#save-ip");
        await page.Locator("#ips-grid").GetByText("203.0.113.77").WaitForAsync();

        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-ip"), () => page.Locator("#ip-address").IsVisibleAsync());
        await page.FillAsync("#ip-address", "203.0.113.777");
        await page.ClickAsync("#save-ip");
        await page.GetByText("is not an IPv4 or IPv6 address").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "sending-ips-add-error");
        await page.Keyboard.PressAsync("Escape");

        await BrowserFixture.GotoLiveAsync(page, "/");
        await page.Locator("#dashboard-ips").GetByText("203.0.113.77").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
    }

}
