using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Deliverability.Core.Checks;

public static class ChecksServiceCollectionExtensions
{
    /// <summary>Registers the DNS resolver (section "Dns") and the IP/domain checks (section "Checks"). Needs no database.</summary>
    public static IServiceCollection AddDeliverabilityChecks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DnsOptions>().BindConfiguration(DnsOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Retries >= 0 && o.MaxConcurrentQueriesPerZone > 0 && o.MaxConcurrentQueries > 0 && o.MaxQueriesPerSecondPerZone >= 0,
                "Dns: Timeout must be positive, Retries and MaxQueriesPerSecondPerZone not negative, MaxConcurrentQueriesPerZone at least 1.")
            .ValidateOnStart();
        services.AddOptions<ChecksOptions>().BindConfiguration(ChecksOptions.Section)
            .Validate(o => o.MaxConcurrentChecks > 0 && !string.IsNullOrWhiteSpace(o.SenderScoreZone),
                "Checks: MaxConcurrentChecks must be at least 1 and SenderScoreZone set.")
            .ValidateOnStart();
        services.TryAddSingleton<IDnsResolver, DnsClientResolver>();
        services.TryAddSingleton<SpfEvaluator>();
        services.TryAddSingleton<SpfCheck>();
        services.TryAddSingleton<DkimCheck>();
        services.TryAddSingleton<DmarcCheck>();
        services.TryAddSingleton<MxCheck>();
        services.TryAddSingleton<ReverseDnsCheck>();
        services.TryAddSingleton<BlocklistCheck>();
        services.TryAddSingleton<SenderScoreCheck>();
        services.TryAddSingleton<DnsTrustProbe>();
        services.TryAddSingleton<IpCheckRunner>();
        return services;
    }
}
