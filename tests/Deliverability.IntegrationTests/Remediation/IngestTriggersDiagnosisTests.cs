using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.IntegrationTests.Checks;
using Deliverability.IntegrationTests.Ingestion;
using Deliverability.Testing;
using Hangfire;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>The app with a recording job client and a clock the day after the fixture bounces.</summary>
public sealed class RecordingAppFixture : IAsyncLifetime
{
    public DeliverabilityAppFactory Factory { get; private set; } = default!;
    public WebApplicationFactory<Program> App { get; private set; } = default!;
    public RecordingJobClient Jobs { get; } = new();
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 11, 9, 0, 0, TimeSpan.Zero));

    public async ValueTask InitializeAsync()
    {
        Factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync());
        App = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.RemoveAll<IBackgroundJobClient>();
            s.AddSingleton<IBackgroundJobClient>(Jobs);
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
    }
}

public class IngestTriggersDiagnosisTests(RecordingAppFixture app) : IClassFixture<RecordingAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IngestBatchJob_WhenTheBatchFinishes_EnqueuesTheDiagnosisOfItsIpsWhichThenReportsTheBlock()
    {
        long batchId;
        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
            await uploads.AddFileAsync(batchId, "s3150.eml", new MemoryStream(Fixtures.Bounce("outlook-s3150")), Ct);
            await uploads.MarkSubmittedAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        long ipId;
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            ipId = await db.Bounces.Where(b => b.BatchId == batchId).Select(b => b.SendingIpId!.Value).SingleAsync(Ct);
        }

        var diagnoses = app.Jobs.Created.Where(j => j.Job.Type == typeof(IpDiagnosisJob)).ToList();
        var (job, queue) = Assert.Single(diagnoses);
        Assert.Equal("default", queue);
        Assert.Equal(ipId, job.Args[0]);

        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().RunAsync(ipId, Ct);
        }

        await using var check = app.Factory.Database.CreateDbContext();
        var status = await check.IpStatus.SingleAsync(s => s.SendingIpId == ipId, Ct);
        Assert.Equal(IpHealth.Blocked, status.Health);
        // The DSN's own Date (the refusal), not its Arrival-Date (09:14:58, when the message was queued).
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 15, 2, TimeSpan.Zero), status.BlockedSince);
        Assert.StartsWith("Blocked by Outlook.com since 10 Mar 09:15 UTC (S3150)", status.Verdict, StringComparison.Ordinal);
        Assert.Equal(1, await check.BounceHours.Where(h => h.SendingIpId == ipId).SumAsync(h => h.Bounces, Ct));
    }
}
