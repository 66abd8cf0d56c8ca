using Deliverability.Core.Users;
using Deliverability.Testing;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>The real app on a real Kestrel port, a fresh database with one admin, and Debian's Chromium.</summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@example.com";

    private IPlaywright? _playwright;

    public DeliverabilityAppFactory Factory { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>The app under test; a fixture that needs other settings (a job server, its own DNS) overrides this.</summary>
    protected virtual async Task<DeliverabilityAppFactory> CreateFactoryAsync() => new(await TestDatabase.CreateAsync());

    public virtual async ValueTask InitializeAsync()
    {
        Factory = await CreateFactoryAsync();
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseUrl = Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await Factory.AddUserAsync(AdminEmail, Roles.Admin);

        // Expect(...) retries until this long, like the page timeouts below: two shared cores make a circuit slow to answer.
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task<IPage> NewPageAsync(bool darkScheme = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = darkScheme ? ColorScheme.Dark : ColorScheme.Light,
        });
        // Generous waits: the suite runs on two shared cores, where a Blazor circuit can take a while to answer.
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        // The browser's side of a page that does not answer: Blazor reports a circuit that failed or reconnects here.
        page.Console += (_, message) => ServerLog.Add($"[browser] {message.Type}: {message.Text}");
        page.PageError += (_, error) => ServerLog.Add($"[browser] page error: {error}");
        page.WebSocket += (_, socket) =>
        {
            ServerLog.Add($"[browser] websocket open {socket.Url}");
            socket.Close += (_, _) => ServerLog.Add($"[browser] websocket closed {socket.Url}");
            socket.SocketError += (_, error) => ServerLog.Add($"[browser] websocket error {error}");
        };
        return page;
    }

    public static async Task SignInAsync(IPage page, string email = AdminEmail, string password = DeliverabilityAppFactory.Password)
    {
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        // Until the answer arrives, a navigation would cancel the sign-in: wait for the error or for a page of the app.
        await page.Locator("#sign-in-error, [data-circuit]").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>Saves a screenshot under docs/screenshots/ of the repository, for the README and for people to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    /// <summary>A full-page screenshot from the top (the app bar is fixed) once the snackbars have faded.</summary>
    public static async Task ScreenshotWithoutSnackbarsAsync(IPage page, string name)
    {
        await page.Mouse.MoveAsync(0, 0);
        await UntilAsync(() => page.EvaluateAsync("() => window.scrollTo(0, 0)"), async () => await page.Locator(".mud-snackbar").CountAsync() == 0, attempts: 10);
        await ScreenshotAsync(page, name);
    }

    /// <summary>
    /// Opens a page and waits until its circuit is live. Before that the browser shows the prerendered HTML, which looks
    /// the same and ignores clicks; on a busy machine the circuit can take many seconds to connect.
    /// </summary>
    public static async Task GotoLiveAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        try
        {
            await page.Locator("[data-circuit=live]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The circuit of {url} never became live. Recent server and browser log:\n" + ServerLog.Recent(), e);
        }
    }

    /// <summary>Chooses these files on the Uploads page (once its circuit is live) and presses "Upload".</summary>
    public static async Task UploadFilesAsync(IPage page, params string[] files)
    {
        await GotoLiveAsync(page, "/uploads");
        await page.Locator("#batches-grid").WaitForAsync();
        // Switching tabs works only once the circuit is live: then the file input is the live one.
        var pasteTab = page.GetByRole(AriaRole.Tab, new() { Name = "Paste a raw message" });
        await UntilAsync(() => pasteTab.ClickAsync(), () => page.Locator("#paste-text").IsVisibleAsync());
        var filesTab = page.GetByRole(AriaRole.Tab, new() { Name = "Files" });
        await UntilAsync(() => filesTab.ClickAsync(), () => page.GetByText("Drop files here").IsVisibleAsync());
        await UntilAsync(() => page.Locator("#upload-form input[type=file]").Last.SetInputFilesAsync(files),
            () => page.Locator("#selected-files").GetByText(Path.GetFileName(files[^1])).IsVisibleAsync(), attempts: 10);
        await page.ClickAsync("#upload-button");
    }

    /// <summary>On an IP page of an IP Outlook.com blocks: opens its Outlook.com case from the dialog and waits for its first step.</summary>
    public static async Task OpenOutlookCaseFromIpPageAsync(IPage page)
    {
        var openCase = page.Locator("#open-case");
        await UntilAsync(() => page.ClickAsync("#open-delisting-case"), () => openCase.IsVisibleAsync());
        await page.Locator(".mud-dialog").GetByText("Outlook.com (blocking the IP)").WaitForAsync();
        await openCase.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/delisting/\d+$"));
        await page.Locator(".step-find-error.current").WaitForAsync();
    }

    /// <summary>On a case at its "submit" step: records the submission with this ticket number and waits until the case shows it.</summary>
    public static async Task RecordSubmissionAsync(IPage page, string ticket)
    {
        await page.Locator("#ticket-number").FillAsync(ticket);
        await page.Locator("#ticket-number").BlurAsync();
        // The typed number reaches the server with the change event; on a busy machine a click can overtake it and be
        // refused once more, so click until the submission is recorded.
        await UntilAsync(() => page.ClickAsync("#record-submission"), () => page.Locator(".step-track-replies.current").IsVisibleAsync());
        await page.Locator("#case-ticket").GetByText("Ticket " + ticket).WaitForAsync();
    }

    /// <summary>Picks an option of a MudSelect, and retries until the select shows it: a click on the list can be lost on a busy machine.</summary>
    public static Task ChooseAsync(IPage page, ILocator select, string option) => UntilAsync(
        async () =>
        {
            if (!await page.Locator(".mud-popover-open .mud-list-item").First.IsVisibleAsync())
            {
                await select.ClickAsync();
            }

            await page.Locator(".mud-popover-open").GetByText(option).ClickAsync(new() { Timeout = 5_000 });
        },
        async () => (await select.InnerTextAsync() + await select.Locator("input").First.InputValueAsync()).Contains(option, StringComparison.Ordinal)
            && !await page.Locator(".mud-popover-open .mud-list-item").First.IsVisibleAsync());

    /// <summary>Retries an interaction until its effect shows: the prerendered page is visible before the circuit is live.</summary>
    public static async Task UntilAsync(Func<Task> act, Func<Task<bool>> done, int attempts = 30)
    {
        for (var i = 0; i < attempts; i++)
        {
            // The previous attempt may have worked, just slowly: never act twice on a page that already shows the effect.
            if (i > 0 && await done())
            {
                return;
            }

            ServerLog.Add($"[test] interaction, attempt {i + 1}");
            try
            {
                await act();
            }
            catch (PlaywrightException)
            {
                // Something (a dialog opening, a re-render) got in the way; look at the page and try again.
            }

            for (var j = 0; j < 20; j++)
            {
                if (await done())
                {
                    return;
                }

                await Task.Delay(100);
            }
        }

        throw new TimeoutException("The page never showed the expected effect of the interaction. Recent server and browser log:\n" + ServerLog.Recent());
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Deliverability.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Deliverability.sln not found above " + AppContext.BaseDirectory);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Completes the current delisting step and waits for the next one; a step the evidence does not confirm (its button
    /// is disabled) is overridden with <paramref name="reason"/> instead.
    /// </summary>
    public static async Task CompleteOrOverrideStepAsync(IPage page, string step, string next, string reason)
    {
        await page.Locator($".step-{step}.current").WaitForAsync();
        var complete = page.Locator($".step-{step}.current #complete-step");
        if (await complete.IsDisabledAsync())
        {
            await page.ClickAsync("#override-step");
            await page.Locator("#override-reason").FillAsync(reason);
            await page.Locator("#override-reason").BlurAsync();
            await UntilAsync(() => page.ClickAsync("#confirm-override"), () => page.Locator($".step-{next}.current").IsVisibleAsync());
        }
        else
        {
            await complete.ClickAsync();
            await page.Locator($".step-{next}.current").WaitForAsync();
        }
    }
}
