using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core.Checks.Storage;

public static class CheckJobsServiceCollectionExtensions
{
    /// <summary>The checks (singleton resolver, shared cache and limits) plus their stored settings and Hangfire jobs.</summary>
    public static IServiceCollection AddDeliverabilityCheckJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDeliverabilityChecks(configuration);
        services.AddSingleton<BlocklistSelection>();
        services.AddSingleton<SpamhausDqsKeys>();
        services.AddScoped<CheckIpJob>();
        services.AddScoped<CheckAllIpsJob>();
        services.AddScoped<CheckNowRequests>();
        services.AddSingleton<CheckNowProgress>();
        services.AddSingleton<CheckedIps>();
        services.AddSingleton<IpAuthenticationChecks>();
        services.AddSingleton<LatestDnsHealth>();
        services.AddSingleton<BlocklistChoices>();
        return services;
    }
}
