using Deliverability.Core.Alerts;
using Deliverability.Core.Api;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Remediation;
using Deliverability.Core.Secrets;
using Deliverability.Core.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        services.Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(o => PasswordPolicy.Apply(o.Password));
        services.AddScoped<UserRegistration>();
        services.AddSingleton<UserAdministration>();
        services.AddDeliverabilityDataProtection(configuration);
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BounceParser>();
        services.TryAddSingleton<Jobs.IJobScheduler, Jobs.InlineJobScheduler>();
        services.AddScoped<IngestUploads>();
        services.AddScoped<Ingest>();
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
        services.AddScoped<Reports.ReportStore>();
        services.AddScoped<IIngestFileHandler, Reports.ReportFileImporter>();
        services.AddSingleton<Reports.ReportSummaries>();
        services.AddSingleton<ApiKeys>();
        services.AddScoped<Storage.StorageMaintenanceJob>();
        services.AddSingleton<Storage.BounceRetention>();
        services.AddSingleton<Storage.EvidenceRetention>();
        services.AddSingleton<DelistingCases>();
        services.AddSingleton<DelistingCaseReader>();
        services.AddSingleton<DelistingCaseList>();
        services.AddSingleton<BounceAssignment>();
        services.AddSingleton<RecentBatches>();
        services.AddSingleton<BatchProgress>();
        services.AddSingleton<Ips.SendingIpChoices>();
        services.AddSingleton<RecentBounces>();
        services.AddSingleton<IpReputation>();
        services.AddSingleton<Evidence.BounceReading>();
        services.AddSingleton<Evidence.IpHistory>();
        services.AddSingleton<Evidence.FleetHistory>();
        services.AddSingleton<Evidence.BounceSearch>();
        services.AddSingleton<Ips.SendingIpTracking>();
        services.AddSingleton<Ips.SendingIpList>();
        services.AddSingleton<SendingIpCheckSettings>();
        services.AddSingleton<Mailboxes.MailboxSources>();
        services.AddSingleton<Mailboxes.MailboxPolling>();
        services.AddSingleton<Mailboxes.MailboxConnectionTest>();
        services.AddSingleton<Mailboxes.MailboxPollRequests>();
        services.AddScoped<Mailboxes.MailboxPollJob>();
        services.AddScoped<Mailboxes.MailboxPollDueJob>();
        services.AddDeliverabilityCheckJobs(configuration);
        services.AddDeliverabilityDiagnosis();
        services.AddDeliverabilityAlerts();
        return services;
    }

    /// <summary>
    /// Data Protection for the sign-in cookies and the secrets stored in the database, shared by the web app and the CLI: same
    /// application name, keys kept in DataProtection:KeysDirectory when it is set.
    /// </summary>
    public static IServiceCollection AddDeliverabilityDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("Deliverability");
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddSingleton<SecretProtector>();
        return services;
    }

    public static string GetConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } cs
            ? cs
            : throw new DatabaseNotConfiguredException(
                $"No database configured: set ConnectionStrings__{ConnectionStringName} " +
                "(for example Host=127.0.0.1;Port=55432;Database=deliverability;Username=deliverability;Password=...).");

    public static void ConfigureNpgsql(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql =>
                npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
}
