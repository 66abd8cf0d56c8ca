using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Alerts;

/// <summary>
/// Sends one alert on one channel and stores how it went (pending → sent, or retrying / failed with the error and the attempt
/// count). A receiver error throws, so Hangfire tries again after a growing back-off; a delivery already sent is not sent again.
/// </summary>
public sealed partial class AlertDeliveryJob(
    DeliverabilityDbContext db,
    EmailAlertSender email,
    WebhookAlertSender webhooks,
    TimeProvider clock,
    ILogger<AlertDeliveryJob> logger)
{
    /// <summary>The first attempt and Hangfire's retries: 30 s, 2 min, 10 min, 30 min, 2 h after each failure.</summary>
    public const int MaxAttempts = 6;

    [AutomaticRetry(Attempts = MaxAttempts - 1, DelaysInSeconds = [30, 120, 600, 1800, 7200], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(JobQueues.Alerts)]
    public async Task RunAsync(long deliveryId, CancellationToken ct)
    {
        var delivery = await db.AlertDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null or { Status: AlertDeliveryStatus.Sent })
        {
            return;
        }

        var alert = await db.Alerts.AsNoTracking().SingleAsync(a => a.Id == delivery.AlertId, ct);
        var channel = await db.AlertChannels.AsNoTracking().SingleAsync(c => c.Id == delivery.ChannelId, ct);
        delivery.Attempts++;
        delivery.LastAttemptAt = clock.GetUtcNow();
        if (!channel.Enabled)
        {
            delivery.Status = AlertDeliveryStatus.Failed;
            delivery.LastError = "The channel was switched off before the alert was sent.";
            await db.SaveChangesAsync(ct);
            return;
        }

        try
        {
            if (channel.Type == AlertChannelType.Email)
            {
                await email.SendAsync(channel, alert, ct);
            }
            else
            {
                await webhooks.SendAsync(channel, alert, ct);
            }
        }
        catch (AlertDeliveryException e)
        {
            delivery.Status = delivery.Attempts >= MaxAttempts ? AlertDeliveryStatus.Failed : AlertDeliveryStatus.Retrying;
            delivery.LastError = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            await db.SaveChangesAsync(CancellationToken.None);
            LogFailed(alert.Id, channel.Id, delivery.Attempts, e.Message);
            throw;
        }

        delivery.Status = AlertDeliveryStatus.Sent;
        delivery.SentAt = clock.GetUtcNow();
        delivery.LastError = null;
        await db.SaveChangesAsync(CancellationToken.None);
        LogSent(alert.Id, channel.Id, delivery.Attempts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent alert {AlertId} on channel {ChannelId} (attempt {Attempt})")]
    private partial void LogSent(long alertId, long channelId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} on channel {ChannelId} failed (attempt {Attempt}): {Error}")]
    private partial void LogFailed(long alertId, long channelId, int attempt, string error);
}
