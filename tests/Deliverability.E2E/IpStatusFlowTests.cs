using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Deliverability.E2E;

/// <summary>
/// The app with a Hangfire server and its own NSD on a private port, serving a copy of the fixture zones plus
/// e2e-spf.test, whose SPF record the test rewrites (and NSD reloads) half-way through.
/// </summary>
public sealed class IpStatusFlowFixture : BrowserFixture
{
    public const string SpfDomain = "e2e-spf.test";
    private static readonly int DnsPort = int.Parse(Environment.GetEnvironmentVariable("DELIVERABILITY_E2E_DNS_PORT") ?? "55383", CultureInfo.InvariantCulture);
    private readonly DirectoryInfo _dns = Directory.CreateTempSubdirectory("deliverability-e2e-dns-");

    private string Zones => Path.Combine(_dns.FullName, "zones");

    public override async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Zones);
        foreach (var zone in Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests", "dns", "zones"), "*.zone"))
        {
            File.Copy(zone, Path.Combine(Zones, Path.GetFileName(zone)));
        }

        await SetSpfAsync("v=spf1 ip4:192.0.2.1 -all", serial: 1);
        await base.InitializeAsync();
    }

    protected override async Task<DeliverabilityAppFactory> CreateFactoryAsync() =>
        new(await TestDatabase.CreateAsync(), runJobServer: true, new Dictionary<string, string>
        {
            ["Dns:NameServers:0"] = $"127.0.0.1:{DnsPort}",
            ["Checks:ZoneSuffix"] = "dnsbl.test",
        });

    /// <summary>Writes the e2e-spf.test zone with this SPF record (TTL 1 s, so no cache keeps the old one) and starts or reloads NSD.</summary>
    public async Task SetSpfAsync(string spf, int serial)
    {
        await File.WriteAllTextAsync(Path.Combine(Zones, SpfDomain + ".zone"), $"""
            $ORIGIN {SpfDomain}.
            $TTL 1
            @    IN SOA ns1.deliverability.test. hostmaster.deliverability.test. ( {serial} 3600 600 86400 1 )
            @    IN NS  ns1.deliverability.test.
            @    IN TXT "{spf}"
            _dmarc IN TXT "v=DMARC1; p=none"

            """);
        var pidFile = Path.Combine(_dns.FullName, "run", "fg.pid");
        if (File.Exists(pidFile))
        {
            // NSD re-reads its zone files on SIGHUP, without dropping its sockets.
            using var nsd = System.Diagnostics.Process.Start("kill", ["-HUP", (await File.ReadAllTextAsync(pidFile)).Trim()]);
            await nsd.WaitForExitAsync();
        }
        else
        {
            await RunScriptAsync("dns-up.sh");
        }

        await WaitForTxtAsync(spf);
    }

    /// <summary>Asks the instance (with dig) until it serves the new record: the app must not be checked against the old zone.</summary>
    private static async Task WaitForTxtAsync(string expected)
    {
        for (var i = 0; i < 50; i++)
        {
            var start = new System.Diagnostics.ProcessStartInfo("dig", ["+short", "+time=1", "+tries=1", "-p", DnsPort.ToString(CultureInfo.InvariantCulture), "@127.0.0.1", SpfDomain, "TXT"])
            {
                RedirectStandardOutput = true,
            };
            using var dig = System.Diagnostics.Process.Start(start)!;
            var answer = await dig.StandardOutput.ReadToEndAsync();
            await dig.WaitForExitAsync();
            if (answer.Contains(expected, StringComparison.Ordinal)) return;
            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The test's NSD on port {DnsPort} does not serve \"{expected}\" for {SpfDomain}.");
    }

    private async Task RunScriptAsync(string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", script)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["DELIVERABILITY_DNS_PORT"] = DnsPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["DELIVERABILITY_DNS_ZONES"] = Zones;
        start.Environment["DELIVERABILITY_DNS_RUN"] = Path.Combine(_dns.FullName, "run");
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{script} failed ({process.ExitCode}): {error}");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await RunScriptAsync("dns-down.sh");
        _dns.Delete(recursive: true);
    }
}

/// <summary>
/// Issue #6's acceptance flow in Chromium on a fresh database: Outlook S3150 and SC-001 bounces for one IP whose SPF fails,
/// the IP page with its verdict and checklist, the zone fixed, "check now" ticking the SPF item, and an Outlook.com delisting
/// case taken to "submitted" with a ticket number and its due times.
/// </summary>
public sealed class IpStatusFlowTests(IpStatusFlowFixture app) : IClassFixture<IpStatusFlowFixture>
{
    private const string Address = "203.0.113.5";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FromBouncesToSubmittedCase_TheChecklistFollowsTheChecksAndTheCaseShowsItsDueTimes()
    {
        long ipId;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse(Address), Label = "mx1", CreatedAt = DateTimeOffset.UtcNow.AddDays(-90), Domains = [IpStatusFlowFixture.SpfDomain] };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            ipId = ip.Id;
        }

        // The project's S3150 and SC-001 fixtures, re-dated to yesterday (a block is current for 7 days), sent from the
        // test's domain (the checks learn sender domains from recent bounces) and, for SC-001, naming the same IP.
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
        var dir = Directory.CreateTempSubdirectory("deliverability-e2e-flow-");
        var s3150 = WriteFixture(dir, "outlook-s3150", yesterday.AddHours(-3));
        var sc001 = WriteFixture(dir, "outlook-sc001", yesterday);

        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page);
        await BrowserFixture.UploadFilesAsync(page, s3150, sc001);
        // The job server ingests the batch; the diagnosis follows it.
        await page.Locator("#batch-status").GetByText("Completed").WaitForAsync();

        // A first check run: SPF fails with the zone as it is.
        await BrowserFixture.GotoLiveAsync(page, $"/ips/{ipId}");
        await RunChecksAsync(page);
        var status = await StatusAsync(ipId);
        Assert.Equal(IpHealth.Blocked, status.Health);
        var verdict = await page.Locator("#ip-verdict").InnerTextAsync();
        Assert.InRange(status.BlockedSince!.Value, yesterday.AddHours(-3).AddMinutes(-1), yesterday.AddHours(-3).AddMinutes(1));
        Assert.Contains($"Blocked by Outlook.com since {IpVerdict.FormatTime(status.BlockedSince.Value)}", verdict, StringComparison.Ordinal);
        // The block started with S3150; the SC-001 refusal three hours later is what Outlook.com says now.
        Assert.Contains("(S3150, now SC-001)", verdict, StringComparison.Ordinal);
        var spfItem = page.Locator("#checklist-item-spf");
        Assert.Contains("Check failing", await spfItem.Locator(".checklist-state").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Fail", await page.Locator(".check-row[data-check='spf'][data-target='e2e-spf.test'] .check-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("S3150", await page.Locator("#ip-codes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("SC-001", await page.Locator("#ip-codes").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#ip-timeline .marker-block").First.WaitForAsync();
        await ScreenshotAsync(page, "ip-page");

        // Fix the zone, reload NSD, check again: the SPF item ticks itself.
        await app.SetSpfAsync($"v=spf1 ip4:{Address} -all", serial: 2);
        await RunChecksAsync(page);
        await spfItem.Locator(".checklist-state").GetByText("Done").WaitForAsync();
        Assert.True(await spfItem.Locator("input[type=checkbox]").IsCheckedAsync());
        Assert.Contains("Pass", await page.Locator(".check-row[data-check='spf'][data-target='e2e-spf.test'] .check-status").InnerTextAsync(), StringComparison.Ordinal);
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var item = await db.RemediationItems.SingleAsync(i => i.SendingIpId == ipId && i.Key == "spf", Ct);
            Assert.True(item.Done);
            Assert.Null(item.DoneBy);
        }

        // The Outlook.com case, opened from the IP page and taken to "submitted".
        await BrowserFixture.OpenOutlookCaseFromIpPageAsync(page);
        Assert.Contains("S3150", await page.Locator(".step-find-error").InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator(".step-find-error.current #complete-step").ClickAsync();
        await page.Locator(".step-fix-causes.current").WaitForAsync();
        // Items are still open (the content and complaint causes need a person): moving on asks first.
        Assert.Contains("still open", await page.Locator(".step-fix-causes #open-items").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator(".step-fix-causes.current #complete-step").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move on anyway" }).ClickAsync();
        foreach (var (step, next) in new[] { ("sender-score", "authentication"), ("authentication", "snds-jmrp"), ("snds-jmrp", "prepare-request"), ("prepare-request", "submit") })
        {
            // Steps that claim a fact the evidence does not show (no Sender Score, no DKIM key checked, no SNDS data) are
            // overridden with a reason, never plain done.
            await BrowserFixture.CompleteOrOverrideStepAsync(page, step, next, $"Confirmed by hand for the test ({step})");
        }

        await BrowserFixture.RecordSubmissionAsync(page, "SRX0987654321ID");
        var deadlines = await page.Locator("#case-deadlines").InnerTextAsync();
        Assert.Contains("First reply due", deadlines, StringComparison.Ordinal);
        Assert.Contains("Decision due", deadlines, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"with \d+ remediation items? still open \(confirmed\)"), await page.Locator("#case-audit").InnerTextAsync());
        await ScreenshotAsync(page, "delisting-case-flow");

        await using (var db = app.Factory.Database.CreateDbContext())
        {
            var saved = await db.DelistingCases.SingleAsync(c => c.SendingIpId == ipId, Ct);
            Assert.Equal(DelistingCaseState.Submitted, saved.State);
            Assert.Equal("SRX0987654321ID", saved.TicketNumber);
            Assert.NotNull(saved.DecisionDueAt);
        }

        // The list and the dashboard show the blocked IP and its open case.
        await BrowserFixture.GotoLiveAsync(page, "/ips");
        var row = page.Locator("#ips-grid tr", new() { HasText = Address });
        await row.GetByText("Blocked by Outlook.com").WaitForAsync();
        Assert.Contains("1 open", await row.InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "sending-ips");
        await BrowserFixture.GotoLiveAsync(page, "/");
        await page.Locator("#blocked-count").GetByText("1").WaitForAsync();
        await page.Locator("#open-cases-count").GetByText("1").WaitForAsync();
        await ScreenshotAsync(page, "dashboard-home");
        dir.Delete(recursive: true);
    }

    /// <summary>Presses "Check now" and waits until the page has reloaded with the run's results and the diagnosis after it.</summary>
    private async Task RunChecksAsync(IPage page)
    {
        var button = page.Locator("#check-now");
        await BrowserFixture.UntilAsync(() => button.ClickAsync(), async () => (await button.TextContentAsync() ?? "").Contains("Checking", StringComparison.Ordinal));
        try
        {
            await page.Locator("#check-now").GetByText("Check now").WaitForAsync(new() { Timeout = 120_000 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The checks did not finish. Jobs: {await HangfireJobs.DescribeAsync(app.Factory.Database, Ct)}", e);
        }

        await page.Locator("#remediation-checklist").WaitForAsync();
    }

    private async Task<IpStatusSnapshot> StatusAsync(long ipId)
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.IpStatus.AsNoTracking().SingleAsync(s => s.SendingIpId == ipId, Ct);
    }

    private static string WriteFixture(DirectoryInfo dir, string name, DateTimeOffset at)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces", name + ".eml"), Encoding.Latin1);
        // Every time stamp moves by the same amount (the fixture's Date is 10 Mar 2026 09:15:02), so the messages keep their
        // order whatever the time of day the test runs.
        var shift = at - new DateTimeOffset(2026, 3, 10, 9, 15, 2, TimeSpan.Zero);
        text = Regex.Replace(text, @"\w{3}, 10 Mar 2026 (\d\d:\d\d:\d\d)", m =>
                (DateTimeOffset.Parse("2026-03-10T" + m.Groups[1].Value + "Z", CultureInfo.InvariantCulture) + shift).ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture))
            .Replace("203.0.113.9", Address, StringComparison.Ordinal)
            .Replace("example.com", IpStatusFlowFixture.SpfDomain, StringComparison.Ordinal);
        var path = Path.Combine(dir.FullName, name + ".eml");
        File.WriteAllText(path, text, Encoding.Latin1);
        return path;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.Mouse.MoveAsync(0, 0);
        await BrowserFixture.UntilAsync(() => page.EvaluateAsync("() => window.scrollTo(0, 0)"), async () => await page.Locator(".mud-snackbar").CountAsync() == 0, attempts: 10);
        await BrowserFixture.ScreenshotAsync(page, name);
    }
}
