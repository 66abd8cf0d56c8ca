using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Deliverability.Core.Ips;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>A job server (the poll runs on Hangfire as in production) and a private resolver.</summary>
public sealed class MailboxesFixture : LyingResolverFixture
{
    protected override bool RunsJobServer => true;
}

/// <summary>Issue 14 from an Admin's chair: a mailbox added on the settings page, polled, its bounce on the IP's page.</summary>
public sealed class MailboxesTests(MailboxesFixture app) : IClassFixture<MailboxesFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddedMailbox_PollNow_BringsItsBounceToTheIpPageAndLeavesOtherMailUnread()
    {
        var folder = TestImap.NewFolderName("e2e");
        var name = "bounces " + folder[^6..];
        // The bounce arrives now: dated today, so it falls in the IP page's evidence window.
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture);
        var bounce = Encoding.ASCII.GetBytes(Regex.Replace(Encoding.ASCII.GetString(Fixture("outlook-s3150")), @"Tue, 10 Mar 2026 09:\d\d:\d\d", anHourAgo));
        await TestImap.CreateFolderAsync(folder, [bounce, Fixture("not-a-bounce")], Ct);
        long ipId;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse("203.0.113.5"), Label = "mx1", CreatedAt = DateTimeOffset.UtcNow };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            ipId = ip.Id;
        }

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, "/settings");
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = "Mailboxes" });
        await BrowserFixture.UntilAsync(() => tab.ClickAsync(), () => page.Locator("#add-mailbox").IsVisibleAsync());

        await BrowserFixture.UntilAsync(() => page.ClickAsync("#add-mailbox"), () => page.Locator("#mailbox-name").IsVisibleAsync());
        await page.FillAsync("#mailbox-name", name);
        await page.FillAsync("#mailbox-user", TestImap.User);
        await page.FillAsync("#mailbox-host", TestImap.Host);
        await page.FillAsync("#mailbox-port", TestImap.Port.ToString(CultureInfo.InvariantCulture));
        await BrowserFixture.ChooseAsync(page, page.Locator(".mud-dialog .mud-select").First, "None (plain text)");
        await page.FillAsync("#mailbox-secret", TestImap.Password);
        await page.FillAsync("#mailbox-folder", folder);
        await page.Locator("#mailbox-folder").BlurAsync();
        await BrowserFixture.UntilAsync(() => page.ClickAsync("#test-mailbox"), () => page.Locator("#mailbox-test-result").IsVisibleAsync());
        await Assertions.Expect(page.Locator("#mailbox-test-result")).ToContainTextAsync($"{folder} holds 2 messages");
        await page.ClickAsync("#save-mailbox");
        var row = page.Locator("#mailboxes-table tr", new() { HasText = name });
        await row.WaitForAsync();
        Assert.DoesNotContain(TestImap.Password, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Poll {name} now" }).ClickAsync();
        await Assertions.Expect(row.Locator(".mailbox-imported")).ToHaveTextAsync("2 messages", new() { Timeout = 120_000 });
        await Assertions.Expect(row.Locator(".mailbox-kinds")).ToHaveTextAsync("1 bounce, 0 complaints, 1 left untouched");
        await Assertions.Expect(row.Locator(".mailbox-status")).ToContainTextAsync("OK");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0); // they hide by themselves; the screenshot is for the README
        await BrowserFixture.ScreenshotAsync(page, "settings-mailboxes");

        await page.GotoAsync($"/ips/{ipId}");
        await Assertions.Expect(page.Locator("#ip-codes tr", new() { HasText = "S3150" })).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await BrowserFixture.ScreenshotAsync(page, "ip-page-from-mailbox");
        Assert.All(await TestImap.StateAsync(folder, Ct), m => Assert.False(m.Seen));
        await using var check = app.Factory.Database.CreateDbContext();
        Assert.Equal(1, await check.Bounces.CountAsync(b => b.SendingIpId == ipId, Ct));
    }

    [Fact]
    public async Task WrongPassword_ShowsTheErrorOnTheRow()
    {
        var folder = TestImap.NewFolderName("e2e");
        await TestImap.CreateFolderAsync(folder, [Fixture("outlook-s3150")], Ct);
        var sources = app.Factory.Services.GetRequiredService<Core.Mailboxes.MailboxSources>();
        var name = "wrong " + folder[^6..];
        var id = await sources.AddAsync(new Core.Mailboxes.MailboxSettings
        {
            Name = name, Host = TestImap.Host, Port = TestImap.Port, Tls = Core.Mailboxes.MailboxTls.None, UserName = TestImap.User,
            Secret = "wrong-password-1", Folder = folder,
        }, Ct);
        await app.Factory.Services.GetRequiredService<Core.Mailboxes.MailboxPolling>().PollAsync(id, Ct);

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await page.GotoAsync("/settings#mailboxes");
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = "Mailboxes" });
        var row = page.Locator("#mailboxes-table tr", new() { HasText = name });
        await BrowserFixture.UntilAsync(() => tab.ClickAsync(), () => row.IsVisibleAsync());
        await Assertions.Expect(row.Locator(".mailbox-status")).ToContainTextAsync("Failing");
        await Assertions.Expect(row.Locator(".mailbox-error")).ToContainTextAsync($"refused the login of {TestImap.User}");
        await Assertions.Expect(row.Locator(".mailbox-status")).ToContainTextAsync("last success never");
    }

    [Fact]
    public async Task Viewer_SeesMailboxStatusButCannotChangeOrPoll()
    {
        var name = "viewed " + Guid.NewGuid().ToString("N")[..6];
        await app.Factory.Services.GetRequiredService<Core.Mailboxes.MailboxSources>().AddAsync(new Core.Mailboxes.MailboxSettings
        {
            Name = name, Host = TestImap.Host, Port = TestImap.Port, Tls = Core.Mailboxes.MailboxTls.None, UserName = TestImap.User,
            Secret = TestImap.Password, Folder = "INBOX",
        }, Ct);
        var viewer = $"viewer-{Guid.NewGuid():N}@example.com";
        await app.Factory.AddUserAsync(viewer, Core.Users.Roles.Viewer);

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page, viewer);
        await BrowserFixture.GotoLiveAsync(page, "/settings");
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = "Mailboxes" });
        var row = page.Locator("#mailboxes-table tr", new() { HasText = name });
        await BrowserFixture.UntilAsync(() => tab.ClickAsync(), () => row.IsVisibleAsync());

        await Assertions.Expect(row.Locator(".mailbox-status")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#add-mailbox")).ToHaveCountAsync(0);
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "settings-mailboxes-viewer");
    }

    private static byte[] Fixture(string name) =>
        [.. Encoding.ASCII.GetBytes($"X-Test-Copy: {Guid.NewGuid():N}\n"), .. File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces", name + ".eml"))];
}
