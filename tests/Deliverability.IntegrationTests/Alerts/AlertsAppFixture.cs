using System.Net;
using Deliverability.Core.Alerts;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Jobs;
using Deliverability.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Alerts;

/// <summary>
/// The app on its own database with a clock the test moves, jobs the test runs (<see cref="QueuedJobs"/>), an HTTP receiver
/// for the webhook, Slack and Teams channels and the real SMTP sink for the email channel, all four channels added.
/// </summary>
public sealed class AlertsAppFixture : IAsyncLifetime
{
    public const string SigningSecret = "whsec-0123456789abcdef-alerts";
    public const string BaseUrl = "https://deliverability.example.test";

    public DeliverabilityAppFactory Factory { get; private set; } = default!;
    public WebApplicationFactory<Program> App { get; private set; } = default!;
    public QueuedJobs Jobs { get; } = new();

    /// <summary>A day after the fixture bounces (10 Mar 2026 10:42 UTC): their block is current.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    public WebhookReceiver Receiver { get; } = new();

    /// <summary>The email channel's recipient, unique to this fixture so its messages are told apart in the shared sink.</summary>
    public string MailTo { get; } = $"ops+{Guid.NewGuid():N}@alerts.example";
    public IReadOnlyList<long> ChannelIds { get; private set; } = [];

    public IServiceProvider Services => App.Services;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync());
        App = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.RemoveAll<IJobScheduler>();
            s.AddSingleton<IJobScheduler>(Jobs);
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
        }));
        var channels = Services.GetRequiredService<AlertChannels>();
        var added = new List<long>();
        foreach (var input in new[]
                 {
                     new AlertChannelInput("Ops mail", AlertChannelType.Email, "127.0.0.1", SmtpSink.Port, SmtpTls.None,
                         MailFrom: "deliverability@alerts.example", MailTo: MailTo),
                     new AlertChannelInput("Signed webhook", AlertChannelType.Webhook, Url: Receiver.Url("/hook"), SigningSecret: SigningSecret),
                     new AlertChannelInput("Slack #mail-ops", AlertChannelType.Slack, Url: Receiver.Url("/slack")),
                     new AlertChannelInput("Teams mail ops", AlertChannelType.Teams, Url: Receiver.Url("/teams")),
                 })
        {
            var result = await channels.AddAsync(input, "admin@alerts.example", CancellationToken.None);
            added.Add(result.Channel?.Id ?? throw new InvalidOperationException(result.Error));
        }

        ChannelIds = added;
        var error = await Services.GetRequiredService<AlertRules>().SaveSettingsAsync(15, BaseUrl, "admin@alerts.example", CancellationToken.None);
        if (error is not null) throw new InvalidOperationException(error);
    }

    /// <summary>The fixture S3150 bounce, refused for <paramref name="address"/>.</summary>
    public static byte[] S3150Bounce(string address, int n = 0) =>
        System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Alerts", "outlook-s3150-alert.eml"))
            .Replace("SENDING_IP", address, StringComparison.Ordinal)
            .Replace("RECIPIENT", $"reader{n}@outlook.com", StringComparison.Ordinal)
            .Replace("MESSAGE_ID", $"{address}-{n}", StringComparison.Ordinal));

    /// <summary>Uploads the bounces as one batch, reads it and runs every job that follows (diagnoses, stacking, deliveries).</summary>
    public async Task IngestAsync(params string[] addresses)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
            for (var i = 0; i < addresses.Length; i++)
            {
                await uploads.AddFileAsync(batchId, $"s3150-{i}.eml", new MemoryStream(S3150Bounce(addresses[i], i)), Ct);
            }

            await uploads.MarkSubmittedAsync(batchId, Ct);
            await Jobs.EnqueueAsync<IngestBatchJob>(j => j.RunAsync(batchId, CancellationToken.None), Ct);
        }

        await Jobs.DrainAsync(Services);
    }

    /// <summary>The minute sweep, as its recurring job runs it, and every delivery it asks for.</summary>
    public async Task SweepAsync()
    {
        await Jobs.EnqueueAsync<AlertSweepJob>(j => j.RunAsync(CancellationToken.None), Ct);
        await Jobs.DrainAsync(Services);
    }

    public async Task<long> IpIdAsync(string address)
    {
        await using var db = Db();
        var ip = IPAddress.Parse(address);
        return await db.SendingIps.Where(x => x.Address == ip).Select(x => x.Id).SingleAsync(Ct);
    }

    public DeliverabilityDbContext Db() => Factory.Database.CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        if (Factory is null) return;
        await App.DisposeAsync();
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
    }
}
