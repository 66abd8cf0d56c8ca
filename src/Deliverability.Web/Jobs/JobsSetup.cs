using Deliverability.Core;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Jobs;
using Deliverability.Core.Mailboxes;
using Deliverability.Web.Ingestion;
using Deliverability.Web.Auth;
using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace Deliverability.Web.Jobs;

public static class JobsSetup
{
    /// <summary>Hangfire on PostgreSQL (schema hangfire, same database). `Jobs:RunServer=false` makes a dashboard-only instance.</summary>
    public static IServiceCollection AddDeliverabilityJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = DependencyInjection.GetConnectionString(configuration);
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            StartupConnectionMaxRetries = 0,
            AllowDegradedModeWithoutStorage = false,
        };
        // The storage is this app's own singleton. Hangfire's default registration hands out the process-wide
        // JobStorage.Current, which the last configured app wins: two apps in one process (the tests) would enqueue
        // into each other's database.
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        // Likewise the activator: the default is the process-wide JobActivator.Current, so workers could build their jobs
        // from another app's services (another database).
        services.AddSingleton<JobActivator>(provider => new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostBoundLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .UseStorage(provider.GetRequiredService<JobStorage>())
            .UseFilter(new IngestJobFailureFilter(provider.GetRequiredService<JobStorage>(), connectionString, provider.GetRequiredService<TimeProvider>())));
        services.Replace(ServiceDescriptor.Singleton<IJobScheduler, HangfireJobScheduler>());
        if (configuration.GetValue("Jobs:RunServer", true))
        {
            // Jobs:Queues narrows what this instance's main workers take (a worker machine for ingest and diagnosis only,
            // say); a count of 0 leaves out one of the servers below (see docs/scale.md).
            AddServer(services, null, MainQueues(configuration), configuration.GetValue("Jobs:WorkerCount", Math.Max(2, Environment.ProcessorCount * 2)));
            // DNS checks get their own few workers: a fan-out over many IPs never takes every worker from ingestion,
            // and the resolver's per-zone limits, not the worker count, set the pace.
            AddServer(services, JobQueues.Checks, [JobQueues.ChecksNow, JobQueues.Checks], configuration.GetValue("Jobs:CheckWorkerCount", 2));
            // And a worker that only a person's "Check now" may take: however long the scheduled checks run, one is free.
            AddServer(services, JobQueues.ChecksNow, [JobQueues.ChecksNow], configuration.GetValue("Jobs:CheckNowWorkerCount", 1));
            // Batches taken over after a crash get workers of their own: however many a restart resumes, the ingest
            // workers above stay free for a new upload.
            AddServer(services, JobQueues.IngestResumed, [JobQueues.IngestResumed], configuration.GetValue("Jobs:ResumeWorkerCount", 1));
            services.AddHostedService<IngestResumptionSweep>();
            // New mail in a mailbox is polled at once where the server offers IMAP IDLE (Mailboxes:Idle=false turns it off),
            // on the instances that take mailbox polls.
            if (configuration.GetValue("Mailboxes:Idle", true) && MainQueues(configuration).Contains(JobQueues.Mailboxes))
            {
                services.AddSingleton<MailboxIdleWatch>();
                services.AddHostedService(provider => provider.GetRequiredService<MailboxIdleWatch>());
            }
        }

        services.AddHostedService<RecurringJobsSync>();

        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return services;
    }

    /// <summary>The queues of the main workers: Jobs:Queues (comma-separated names of <see cref="JobQueues"/>) or all of them.</summary>
    internal static string[] MainQueues(IConfiguration configuration)
    {
        string[] all = [JobQueues.Alerts, JobQueues.Default, JobQueues.Diagnosis, JobQueues.Ingest, JobQueues.Mailboxes];
        var chosen = configuration.GetValue<string>("Jobs:Queues")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (chosen is not { Length: > 0 }) return all;
        var unknown = chosen.Except(all, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Jobs:Queues names queues that do not exist: {string.Join(", ", unknown)} (known: {string.Join(", ", all)}).");
        }

        // Hangfire.PostgreSql serves a server's queues in alphabetical order: kept in that order, as the defaults are.
        return [.. chosen.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static void AddServer(IServiceCollection services, string? name, string[] queues, int workers)
    {
        if (workers <= 0) return;
        services.AddHangfireServer(o =>
        {
            if (name is not null) o.ServerName = $"{Environment.MachineName}:{name}";
            o.Queues = queues;
            o.WorkerCount = workers;
        });
    }

    public static IEndpointRouteBuilder MapDeliverabilityHangfireDashboard(this IEndpointRouteBuilder endpoints)
    {
        // The dashboard's stats route reads a form: a GET (a crawler, a curious Admin) made it throw. It is POST only.
        endpoints.MapGet("/hangfire/stats", (HttpContext http) =>
            {
                http.Response.Headers.Allow = "POST";
                return Results.Problem("The dashboard's stats are read with POST.", statusCode: StatusCodes.Status405MethodNotAllowed);
            })
            .RequireAuthorization(AuthSetup.AdminPolicy)
            .ExcludeFromDescription();
        endpoints.MapHangfireDashboardWithAuthorizationPolicy(AuthSetup.AdminPolicy, "/hangfire", new DashboardOptions
        {
            DisplayStorageConnectionString = false,
            DashboardTitle = "Deliverability jobs",
            AppPath = "/",
        });
        return endpoints;
    }
}
