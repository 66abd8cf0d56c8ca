using System.Collections.Concurrent;
using Deliverability.Testing;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Deliverability.IntegrationTests.Checks;

/// <summary>
/// The app on its own database with DNS pointed at the NSD fixture server (DELIVERABILITY_TEST_DNS, default 127.0.0.1:55353)
/// and every blocklist zone rewritten to its fixture zone (suffix dnsbl.test), as the DNS tests do. Jobs enqueued through
/// IBackgroundJobClient are recorded, not run.
/// </summary>
public sealed class ChecksAppFixture : IAsyncLifetime
{
    public static string DnsServer =>
        Environment.GetEnvironmentVariable("DELIVERABILITY_TEST_DNS") is { Length: > 0 } value ? value : "127.0.0.1:55353";

    public DeliverabilityAppFactory Factory { get; private set; } = default!;
    public WebApplicationFactory<Program> App { get; private set; } = default!;
    public RecordingJobClient Jobs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync());
        App = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Dns:NameServers:0", DnsServer);
            b.UseSetting("Dns:Timeout", "00:00:02");
            b.UseSetting("Checks:ZoneSuffix", "dnsbl.test");
            b.UseSetting("Checks:ResolverMustExist", "deliverability.test");
            b.UseSetting("Checks:ResolverMustNotExist", "nxdomain-probe.deliverability.test");
            b.ConfigureTestServices(s =>
            {
                s.RemoveAll<IBackgroundJobClient>();
                s.AddSingleton<IBackgroundJobClient>(Jobs);
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
    }
}

/// <summary>Records what would be enqueued: the job's method and arguments, and the queue.</summary>
public sealed class RecordingJobClient : IBackgroundJobClient
{
    private int _next;

    public ConcurrentQueue<(Job Job, string? Queue)> Created { get; } = new();

    public string Create(Job job, IState state)
    {
        Created.Enqueue((job, job.Queue ?? (state as EnqueuedState)?.Queue));
        return "recorded-" + Interlocked.Increment(ref _next);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
