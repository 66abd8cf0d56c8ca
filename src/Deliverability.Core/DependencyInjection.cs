using Deliverability.Core.Api;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Remediation;
using Deliverability.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Deliverability";

    /// <summary>Registers the database, the clock and the feature services shared by the web app and the CLI.</summary>
    public static IServiceCollection AddDeliverabilityCore(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = GetConnectionString(configuration);
        services.AddDbContextFactory<DeliverabilityDbContext>(o => ConfigureNpgsql(o, connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<UserRegistration>();
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BounceParser>();
        services.AddScoped<IngestUploads>();
        services.AddScoped<IngestBatchJob>();
        services.AddScoped<ReparseJob>();
        services.AddScoped<Ingestion.Fuzz.FuzzIngest>();
        services.AddScoped<MtaLogAttribution>();
        services.AddScoped<AttributionRules>();
        services.AddScoped<ReparseRequests>();
        services.AddScoped<Demo.DemoSeeder>();
        services.AddScoped<Demo.DemoBulkSeeder>();
        services.AddScoped<IIngestFileHandler, MtaLogImporter>();
        services.AddScoped<IIngestFileHandler, SndsImporter>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<DelistingCases>();
        services.AddSingleton<Ips.SendingIpTracking>();
        services.AddDeliverabilityCheckJobs(configuration);
        services.AddDeliverabilityDiagnosis();
        return services;
    }

    public static string GetConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"No database configured: set ConnectionStrings__{ConnectionStringName} " +
                "(for example Host=127.0.0.1;Port=55432;Database=deliverability;Username=deliverability;Password=...).");

    public static void ConfigureNpgsql(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql =>
                npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
}
