using System.Net.Mail;
using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Deliverability.Core.Secrets;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Alerts;

/// <summary>What an Admin typed for a new channel. Secrets are given once and stored encrypted.</summary>
public sealed record AlertChannelInput(
    string Name,
    AlertChannelType Type,
    string? SmtpHost = null,
    int? SmtpPort = null,
    SmtpTls SmtpTls = SmtpTls.StartTls,
    string? SmtpUser = null,
    string? SmtpPassword = null,
    string? MailFrom = null,
    string? MailTo = null,
    string? Url = null,
    string? SigningSecret = null);

/// <summary>The channel, or why it was not saved (one sentence naming the field).</summary>
public sealed record AlertChannelResult(AlertChannel? Channel, string? Error);

/// <summary>Adds, switches on or off, deletes and tests alert channels (table alert_channels).</summary>
public sealed class AlertChannels(IDbContextFactory<DeliverabilityDbContext> dbFactory, SecretProtector secrets, IJobScheduler jobs, TimeProvider clock)
{
    public const int MinSecretLength = 16;

    public static IReadOnlyList<string> SplitAddresses(string? text) =>
        (text ?? "").Split([',', ';', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string? Validate(AlertChannelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrWhiteSpace(input.Name)) return "Give the channel a name.";
        if (input.Name.Trim().Length > 100) return "The name is longer than 100 characters.";
        if (input.Type == AlertChannelType.Email)
        {
            if (string.IsNullOrWhiteSpace(input.SmtpHost) || Uri.CheckHostName(input.SmtpHost.Trim()) == UriHostNameType.Unknown)
                return "The SMTP server must be a host name or an IP address.";
            if (input.SmtpPort is not (>= 1 and <= 65535)) return "The SMTP port must be between 1 and 65535.";
            if (!IsAddress(input.MailFrom)) return $"'{input.MailFrom}' is not an email address (From).";
            var to = SplitAddresses(input.MailTo);
            if (to.Count == 0) return "Give at least one recipient (To).";
            if (to.FirstOrDefault(a => !IsAddress(a)) is { } bad) return $"'{bad}' is not an email address (To).";
            if (!string.IsNullOrEmpty(input.SmtpUser) && string.IsNullOrEmpty(input.SmtpPassword)) return "Give the SMTP password for the user, or no user.";
            return null;
        }

        if (!Uri.TryCreate(input.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            return "The webhook URL must be an absolute http:// or https:// address.";
        if (input.Type == AlertChannelType.Webhook && (input.SigningSecret ?? "").Length < MinSecretLength)
            return $"The signing secret must be at least {MinSecretLength} characters (the receiver checks the signature with it).";
        return null;

        static bool IsAddress(string? value) => MailAddress.TryCreate(value?.Trim(), out var a) && a.Address == value!.Trim();
    }

    public async Task<AlertChannelResult> AddAsync(AlertChannelInput input, string by, CancellationToken ct)
    {
        if (Validate(input) is { } error) return new AlertChannelResult(null, error);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = input.Name.Trim();
        if (await db.AlertChannels.AnyAsync(c => c.Name == name, ct)) return new AlertChannelResult(null, $"A channel named '{name}' exists already.");
        var channel = new AlertChannel { Name = name, Type = input.Type, CreatedAt = clock.GetUtcNow(), CreatedBy = by };
        if (input.Type == AlertChannelType.Email)
        {
            channel.SmtpHost = input.SmtpHost!.Trim();
            channel.SmtpPort = input.SmtpPort;
            channel.SmtpTls = input.SmtpTls;
            channel.SmtpUser = string.IsNullOrWhiteSpace(input.SmtpUser) ? null : input.SmtpUser.Trim();
            channel.SmtpPasswordProtected = channel.SmtpUser is null ? null : secrets.Protect(AlertSecretPurposes.SmtpPassword, input.SmtpPassword!);
            channel.MailFrom = input.MailFrom!.Trim();
            channel.MailTo = string.Join(", ", SplitAddresses(input.MailTo));
        }
        else
        {
            var url = new Uri(input.Url!.Trim());
            channel.UrlProtected = secrets.Protect(AlertSecretPurposes.WebhookUrl, url.AbsoluteUri);
            channel.UrlHost = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
            channel.SigningSecretProtected = input.Type == AlertChannelType.Webhook ? secrets.Protect(AlertSecretPurposes.SigningSecret, input.SigningSecret!) : null;
        }

        db.AlertChannels.Add(channel);
        await db.SaveChangesAsync(ct);
        return new AlertChannelResult(channel, null);
    }

    public async Task<bool> SetEnabledAsync(long channelId, bool enabled, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.Where(c => c.Id == channelId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Enabled, enabled), ct) == 1;
    }

    /// <summary>Deletes the channel and its deliveries; rules that named it lose it (an empty list means every channel again).</summary>
    public async Task<bool> DeleteAsync(long channelId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var rule in await db.AlertRules.Where(r => r.ChannelIds.Contains(channelId)).ToListAsync(ct))
        {
            rule.ChannelIds = rule.ChannelIds.Where(c => c != channelId).ToList();
        }

        await db.SaveChangesAsync(ct);
        var deleted = await db.AlertChannels.Where(c => c.Id == channelId).ExecuteDeleteAsync(ct) == 1;
        await tx.CommitAsync(ct);
        return deleted;
    }

    /// <summary>A test alert on this channel alone, delivered (and recorded in the history) like any other.</summary>
    public async Task<long?> SendTestAsync(long channelId, string by, CancellationToken ct)
    {
        long deliveryId;
        long alertId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var channel = await db.AlertChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
            if (channel is null) return null;
            var settings = await db.AlertSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new AlertSettings();
            var now = clock.GetUtcNow();
            var text = $"A test alert for the channel \"{channel.Name}\", sent by {by}. Real alerts on this channel say what changed and link to the IP or case.";
            var alert = new Alert
            {
                Kind = AlertEventKind.Test, Title = $"Test alert: {channel.Name}", LinkPath = AlertPaths.History,
                Text = AlertMessage.Absolute(settings.PublicBaseUrl, AlertPaths.History) is null
                    ? $"{text}\nNo public base URL is set in Settings → Alerts, so alerts cannot link to their pages."
                    : text,
                Link = AlertMessage.Absolute(settings.PublicBaseUrl, AlertPaths.History), EventCount = 0, CreatedAt = now,
                Deliveries = [new AlertDelivery { ChannelId = channelId, Status = AlertDeliveryStatus.Pending }],
            };
            db.Alerts.Add(alert);
            await db.SaveChangesAsync(ct);
            deliveryId = alert.Deliveries[0].Id;
            alertId = alert.Id;
        }

        await jobs.EnqueueAsync<AlertDeliveryJob>(j => j.RunAsync(deliveryId, CancellationToken.None), ct);
        return alertId;
    }
}
