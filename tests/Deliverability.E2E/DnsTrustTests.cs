using System.Net;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>The app with its resolver pointed at a private NSD that answers NXDOMAIN to every name (a root zone with only SOA and NS).</summary>
public class LyingResolverFixture : BrowserFixture
{
    private PrivateNameServer? _lying;

    public override async ValueTask InitializeAsync()
    {
        _lying = await PrivateNameServer.StartLyingAsync();
        await base.InitializeAsync();
    }

    /// <summary>Whether the app runs its Hangfire server (a flow that presses "Check now" or uploads needs one).</summary>
    protected virtual bool RunsJobServer => false;

    protected override async Task<DeliverabilityAppFactory> CreateFactoryAsync() =>
        new(await TestDatabase.CreateAsync(), RunsJobServer, new Dictionary<string, string>
        {
            ["Dns:NameServers:0"] = _lying!.Address,
            ["Dns:Timeout"] = "00:00:02",
            ["Checks:ZoneSuffix"] = "dnsbl.test",
        });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_lying is not null) await _lying.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>What a user sees after "Check now" through a resolver that lies: unknown, with the reason, on the IP page and in Settings.</summary>
public class DnsTrustTests(LyingResolverFixture app) : IClassFixture<LyingResolverFixture>
{
    [Fact]
    public async Task CheckNow_WhenResolverLies_IpPageShowsUnknownListsAndSettingsShowTheFailedProbe()
    {
        long id;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse("192.0.2.20"), Label = "mx-listed", CreatedAt = DateTimeOffset.UtcNow, Domains = ["good.test"] };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            id = ip.Id;
        }

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CheckIpJob>().RunAsync(id, nameof(CheckTrigger.Manual), TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().RefreshAsync(id, TestContext.Current.CancellationToken);
        }

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.GotoLiveAsync(page, $"/ips/{id}");
        var blocklists = page.Locator("#ip-blocklists");
        await page.Locator("#ip-blocklists-untrusted").WaitForAsync();
        await blocklists.GetByText("Spamhaus ZEN: unknown, the resolver is not answering correctly").WaitForAsync();
        // The circuit re-renders the prerendered table once it is live: wait for the rows rather than counting them once.
        await Assertions.Expect(blocklists.GetByText("Unknown", new() { Exact = true })).ToHaveCountAsync(12);
        await Assertions.Expect(blocklists.GetByText("Not listed", new() { Exact = true })).ToHaveCountAsync(0);
        // An element screenshot scrolls the page: the sticky app bar would cover the table.
        await page.AddStyleTagAsync(new() { Content = ".mud-appbar { display: none !important; }" });
        await ScreenshotAsync(page.Locator("#reputation"), "ip-blocklists-unknown");

        await BrowserFixture.GotoLiveAsync(page, "/settings/checks");
        var status = page.Locator("#resolver-health-status");
        await status.GetByText("The resolver is not answering correctly (a.root-servers.net must exist, the answer was NXDOMAIN)").WaitForAsync();
        await page.Locator("#resolver-probes").GetByText("nxdomain-probe.example.com").WaitForAsync();
        await page.Locator("#list-health-none").GetByText("Not asked: the resolver failed its probe.").WaitForAsync();
        await ScreenshotAsync(page.Locator("#resolver-health"), "checks-settings-resolver-health");
    }

    /// <summary>An element screenshot; the circuit's first render can replace the prerendered element under it, so try again.</summary>
    private static async Task ScreenshotAsync(Microsoft.Playwright.ILocator element, string name)
    {
        var path = Path.Combine(BrowserFixture.RepositoryRoot(), "docs", "screenshots", name + ".png");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await element.ScreenshotAsync(new() { Path = path });
                return;
            }
            catch (Microsoft.Playwright.PlaywrightException) when (attempt < 5)
            {
                await Task.Delay(500, TestContext.Current.CancellationToken);
            }
        }
    }
}
