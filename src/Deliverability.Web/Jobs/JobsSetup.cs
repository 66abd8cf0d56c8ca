using Deliverability.Core;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Jobs;
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
            services.AddHangfireServer(o =>
            {
                o.Queues = [JobQueues.Alerts, JobQueues.Default, JobQueues.Ingest, JobQueues.Mailboxes];
                o.WorkerCount = configuration.GetValue("Jobs:WorkerCount", Math.Max(2, Environment.ProcessorCount * 2));
            });
            // DNS checks get their own few workers: a fan-out over many IPs never takes every worker from ingestion,
            // and the resolver's per-zone limits, not the worker count, set the pace.
            services.AddHangfireServer(o =>
            {
                o.ServerName = $"{Environment.MachineName}:checks";
                o.Queues = [JobQueues.ChecksNow, JobQueues.Checks];
                o.WorkerCount = configuration.GetValue("Jobs:CheckWorkerCount", 2);
            });
            // And a worker that only a person's "Check now" may take: however long the scheduled checks run, one is free.
            services.AddHangfireServer(o =>
            {
                o.ServerName = $"{Environment.MachineName}:check-now";
                o.Queues = [JobQueues.ChecksNow];
                o.WorkerCount = configuration.GetValue("Jobs:CheckNowWorkerCount", 1);
            });
            // Batches taken over after a crash get workers of their own: however many a restart resumes, the ingest
            // workers above stay free for a new upload.
            services.AddHangfireServer(o =>
            {
                o.ServerName = $"{Environment.MachineName}:ingest-resumed";
                o.Queues = [JobQueues.IngestResumed];
                o.WorkerCount = configuration.GetValue("Jobs:ResumeWorkerCount", 1);
            });
            services.AddHostedService<IngestResumptionSweep>();
        }

        services.AddHostedService<RecurringJobsSync>();

        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return services;
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
