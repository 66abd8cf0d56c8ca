using Deliverability.Core.Users;
using Deliverability.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>The app with a one-second circuit revalidation, so a test sees a demoted user's open page end within seconds.</summary>
public sealed class QuickRevalidationFixture : BrowserFixture
{
    protected override async Task<DeliverabilityAppFactory> CreateFactoryAsync() =>
        new(await TestDatabase.CreateAsync(), settings: new Dictionary<string, string> { ["Auth:RevalidationSeconds"] = "1" });
}

/// <summary>Issue 12, items 2, 6 and 10 in Chromium: the Users page, a live circuit losing its rights, and pages working under the CSP.</summary>
public class UsersPageTests(QuickRevalidationFixture app) : IClassFixture<QuickRevalidationFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Console messages that say the browser refused something because of the Content-Security-Policy.</summary>
    private static List<string> CspViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Content-Security-Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    private static ILocator Row(IPage page, string email) => page.Locator("#users-table tr", new() { HasText = email });

    private static async Task ChooseRoleAsync(IPage page, string email, string role)
    {
        await BrowserFixture.UntilAsync(() => Row(page, email).Locator(".user-role .mud-select-input").First.ClickAsync(), () => page.Locator(".mud-popover-open").First.IsVisibleAsync());
        await page.Locator(".mud-popover-open").GetByText(role, new() { Exact = true }).ClickAsync();
    }

    private static async Task ConfirmAsync(IPage page, string button) =>
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();

    [Fact]
    public async Task UsersPage_AdminAddsChangesRoleResetsUnlocksAndRemoves_EachAuditedWithoutCspErrors()
    {
        var page = await app.NewPageAsync();
        var violations = CspViolations(page);
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/users");
        await Row(page, BrowserFixture.AdminEmail).WaitForAsync();

        // Add, with a generated password shown once.
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-user"), () => page.Locator("#new-user-email").IsVisibleAsync());
        await page.FillAsync("#new-user-email", "new.operator@example.com");
        await page.ClickAsync("#add-user-confirm");
        await Row(page, "new.operator@example.com").WaitForAsync();
        var password = await page.Locator("#generated-password-value").InnerTextAsync();
        Assert.True(password.Length >= PasswordPolicy.MinimumLength);

        await ChooseRoleAsync(page, "new.operator@example.com", Roles.Operator);
        await page.Locator("#user-audit").GetByText("role Viewer → Operator").WaitForAsync();

        // Locked out by failed sign-ins (seeded), then unlocked from the page.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<DeliverabilityUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync("new.operator@example.com"))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }

        await page.ReloadAsync();
        await Row(page, "new.operator@example.com").Locator(".user-locked").WaitForAsync();
        await BrowserFixture.UntilAsync(() => Row(page, "new.operator@example.com").Locator(".unlock-user").ClickAsync(),
            () => page.Locator("#user-audit").GetByText("unlocked (was locked until").IsVisibleAsync());

        await BrowserFixture.UntilAsync(() => Row(page, "new.operator@example.com").Locator(".reset-password").ClickAsync(), () => page.Locator(".mud-dialog").IsVisibleAsync());
        await ConfirmAsync(page, "Reset password");
        await page.Locator("#user-audit").GetByText("password generated; sessions ended").WaitForAsync();
        Assert.NotEqual(password, await page.Locator("#generated-password-value").InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, "users");

        await BrowserFixture.UntilAsync(() => Row(page, "new.operator@example.com").Locator(".remove-user").ClickAsync(), () => page.Locator(".mud-dialog").IsVisibleAsync());
        await ConfirmAsync(page, "Remove");
        await page.Locator("#user-audit").GetByText("removed (was Operator)").WaitForAsync();
        Assert.Equal(0, await Row(page, "new.operator@example.com").CountAsync());

        await using var db = app.Factory.Database.CreateDbContext();
        var audit = await db.UserAudit.Where(a => a.TargetEmail == "new.operator@example.com").OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal([UserAction.Added, UserAction.RoleChanged, UserAction.Unlocked, UserAction.PasswordReset, UserAction.Removed], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(BrowserFixture.AdminEmail, a.ActorName));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task OpenPage_OfAUserDemotedMeanwhile_AsksThemToSignInWithinSeconds()
    {
        var operatorUser = await app.Factory.AddUserAsync("soon-viewer@example.com", Roles.Operator);
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "soon-viewer@example.com");
        await BrowserFixture.GotoLiveAsync(page, "/ips");
        await page.Locator("#add-ip").WaitForAsync();

        await app.Factory.Services.GetRequiredService<UserAdministration>().ChangeRoleAsync(UserActor.CommandLine, operatorUser.Id, Roles.Viewer, Ct);

        // Without touching the page: the circuit re-checks the session and sends the browser to sign in.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/account/sign-in"), new() { Timeout = 30_000 });
        await page.Locator("#sign-in-form").WaitForAsync();
    }

    [Fact]
    public async Task Pages_WorkUnderTheContentSecurityPolicy()
    {
        var page = await app.NewPageAsync();
        var violations = CspViolations(page);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/account/sign-in");
        await BrowserFixture.SignInAsync(page);
        foreach (var path in new[] { "/", "/ips", "/uploads", "/delisting", "/settings", "/settings/checks", "/users" })
        {
            await page.GotoAsync(path);
            await page.Locator(".mud-main-content h4, .mud-main-content .mud-typography-h4").First.WaitForAsync();
        }

        // An interactive MudBlazor dialog works (the circuit is live: websocket allowed, scripts ran).
        await BrowserFixture.GotoLiveAsync(page, "/ips");
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-ip"), () => page.Locator("#ip-address").IsVisibleAsync());
        await page.Keyboard.PressAsync("Escape");
        await page.GotoAsync("/hangfire");
        await page.Locator("#stats, .navbar").First.WaitForAsync();

        Assert.Empty(violations);
        Assert.Empty(errors);
    }
}
