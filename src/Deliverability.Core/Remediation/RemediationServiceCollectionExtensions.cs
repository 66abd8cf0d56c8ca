using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core.Remediation;

public static class RemediationServiceCollectionExtensions
{
    /// <summary>The diagnosis job, its hourly fan-out and the way other jobs ask for a diagnosis.</summary>
    public static IServiceCollection AddDeliverabilityDiagnosis(this IServiceCollection services)
    {
        services.AddScoped<IpDiagnosisJob>();
        services.AddScoped<DiagnoseAllIpsJob>();
        services.AddScoped<IpDiagnosisChunkJob>();
        services.AddSingleton<IpDiagnosisRequests>();
        services.AddSingleton<Checklist>();
        services.AddMemoryCache();
        services.AddSingleton<IpCodeTable>();
        services.AddSingleton<IpOverview>();
        services.AddSingleton<IpActivity>();
        services.AddSingleton<DashboardSummary>();
        return services;
    }
}
