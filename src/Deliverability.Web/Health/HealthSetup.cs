using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Deliverability.Web.Health;

public static class HealthSetup
{
    public static IServiceCollection AddDeliverabilityHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    public static IEndpointRouteBuilder MapDeliverabilityHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health").AllowAnonymous();
        return endpoints;
    }

    /// <summary>Applies pending migrations (and encrypts a DQS key left in plain text) at start when `Database:MigrateOnStartup` is true (the Docker image sets it).</summary>
    public static async Task MigrateOnStartupIfConfiguredAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Database:MigrateOnStartup", false))
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliverabilityDbContext>();
        await db.Database.MigrateAsync();
        await scope.ServiceProvider.GetRequiredService<SpamhausDqsKeys>().EncryptPlainKeysAsync(db, CancellationToken.None);
    }
}

public sealed class DatabaseHealthCheck(IDbContextFactory<DeliverabilityDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy("database reachable, schema up to date")
                : HealthCheckResult.Degraded($"database reachable, {pending} migration(s) not applied: run `deliverability migrate`");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("database unreachable", e);
        }
    }
}
