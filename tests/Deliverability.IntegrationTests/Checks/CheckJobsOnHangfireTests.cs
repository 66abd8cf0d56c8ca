using System.Net;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Ips;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Checks;

/// <summary>The whole path with a real Hangfire server: POST → "checks" queue → CheckIpJob (lock, DI scope) → stored run.</summary>
public sealed class CheckJobsOnHangfireTests : IAsyncLifetime
{
    private DeliverabilityAppFactory _factory = default!;
    private WebApplicationFactory<Program> _app = default!;

    public async ValueTask InitializeAsync()
    {
        _factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync(), runJobServer: true);
        _app = _factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Dns:NameServers:0", ChecksAppFixture.DnsServer);
            b.UseSetting("Checks:ZoneSuffix", "dnsbl.test");
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
        await _factory.Database.DisposeAsync();
    }

    [Fact]
    public async Task PostCheck_WithAJobServer_RunsTheCheckAndStoresTheRun()
    {
        var ct = TestContext.Current.CancellationToken;
        long id;
        await using (var db = _factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse("192.0.2.10"), CreatedAt = DateTimeOffset.UtcNow, Domains = ["good.test"] };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(ct);
            id = ip.Id;
        }

        await _factory.AddUserAsync("operator-live@example.com", Roles.Operator);
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using (var signIn = await SignedInClient.PostSignInAsync(client, "operator-live@example.com", DeliverabilityAppFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var response = await client.PostAsync(new Uri($"/api/v1/sending-ips/{id}/check", UriKind.Relative), null, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        CheckRun? run = null;
        for (var i = 0; i < 120 && run?.Status is not CheckRunStatus.Completed; i++)
        {
            await Task.Delay(500, ct);
            await using var db = _factory.Database.CreateDbContext();
            run = await db.CheckRuns.AsNoTracking().SingleOrDefaultAsync(r => r.SendingIpId == id, ct);
        }

        Assert.NotNull(run);
        Assert.Equal((CheckRunStatus.Completed, CheckTrigger.Manual), (run.Status, run.Trigger));
        Assert.True(run.PassCount > 10, $"{run.PassCount} pass");
    }
}
