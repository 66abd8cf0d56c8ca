using System.Net;
using System.Text.Json;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Jobs;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Hangfire.Storage;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Checks;

public class ChecksApiTests(ChecksAppFixture app) : IClassFixture<ChecksAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> AddIpAsync(string address)
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.AddSendingIpAsync(address, ip => ip.Domains = ["good.test"], Ct);
    }

    private async Task<HttpClient> ClientAsync(string email, string role)
    {
        await app.Factory.AddUserAsync(email, role);
        var client = app.App.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await SignedInClient.PostSignInAsync(client, email, DeliverabilityAppFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await SignedInClient.AddApiAntiforgeryTokenAsync(client);
        return client;
    }

    [Fact]
    public async Task PostCheck_WhenViewer_Returns403()
    {
        var id = await AddIpAsync("192.0.2.31");
        using var client = await ClientAsync("viewer-checks@example.com", Roles.Viewer);

        using var response = await client.PostAsync(new Uri($"/api/v1/sending-ips/{id}/check", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostCheck_WhenOperator_Returns202WithTheJobIdOfACheckOnTheQueueThatNeverWaitsBehindScheduledChecks()
    {
        var id = await AddIpAsync("192.0.2.32");
        using var client = await ClientAsync("operator-checks@example.com", Roles.Operator);
        app.Jobs.Created.Clear();

        using var response = await client.PostAsync(new Uri($"/api/v1/sending-ips/{id}/check", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.StartsWith("recorded-", body.RootElement.GetProperty("job_id").GetString(), StringComparison.Ordinal);
        var (job, queue) = Assert.Single(app.Jobs.Created);
        Assert.Equal((typeof(CheckIpJob), nameof(CheckIpJob.RunNowAsync), id, JobQueues.ChecksNow), (job.Type, job.Method.Name, (long)job.Args[0], queue));
    }

    [Fact]
    public async Task PostCheck_WhenIpUnknown_Returns404()
    {
        using var client = await ClientAsync("operator-404@example.com", Roles.Operator);
        using var response = await client.PostAsync(new Uri("/api/v1/sending-ips/999999/check", UriKind.Relative), null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetChecks_AfterARun_ReturnsLatestResultsInCheckJsonShape()
    {
        var id = await AddIpAsync("192.0.2.10");
        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CheckIpJob>().RunAsync(id, "Manual", Ct);
        }

        using var client = await ClientAsync("viewer-read@example.com", Roles.Viewer);
        using var response = await client.GetAsync(new Uri($"/api/v1/sending-ips/{id}/checks", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("192.0.2.10", body.RootElement.GetProperty("address").GetString());
        Assert.Equal("completed", body.RootElement.GetProperty("last_run").GetProperty("status").GetString());
        var spf = body.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("check").GetString() == "spf");
        Assert.Equal(("good.test", "pass"), (spf.GetProperty("target").GetString(), spf.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Object, spf.GetProperty("details").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("changes").ValueKind);
    }

    [Fact]
    public void RecurringJobs_AtStartup_RegistersTheFanOutWithItsCron()
    {
        var storage = app.App.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == RecurringJobs.CheckAllIps);

        Assert.Equal("0 */6 * * *", job.Cron);
        Assert.Equal("checks", job.Job.Queue);
        Assert.Equal(typeof(CheckAllIpsJob), job.Job.Type);
    }

    [Fact]
    public async Task HangfireRecurringPage_WhenAdmin_ListsTheChecksFanOut()
    {
        using var client = await ClientAsync("admin-recurring@example.com", Roles.Admin);

        using var response = await client.GetAsync(new Uri("/hangfire/recurring", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(RecurringJobs.CheckAllIps, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
