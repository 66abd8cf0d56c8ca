using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>Events, rules, channels, the stacking, the delivery job and its senders.</summary>
    public static IServiceCollection AddDeliverabilityAlerts(this IServiceCollection services)
    {
        services.AddSingleton<AlertRequests>();
        services.AddSingleton<AlertEvents>();
        services.AddSingleton<AlertStacking>();
        services.AddSingleton<AlertChannels>();
        services.AddSingleton<AlertRules>();
        services.AddSingleton<AlertSetup>();
        services.AddSingleton<AlertHistory>();
        services.AddSingleton<EmailAlertSender>();
        // No HttpClient logging: it writes the request URL, and a Slack or Teams webhook URL is its token.
        services.AddHttpClient<WebhookAlertSender>(http => http.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();
        services.AddScoped<AlertDeliveryJob>();
        services.AddScoped<AlertSweepJob>();
        return services;
    }
}
