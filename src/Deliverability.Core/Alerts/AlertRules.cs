using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Alerts;

/// <summary>A kind's rule as the settings page shows it: saved, or the default (enabled, every channel) when none is.</summary>
public sealed record AlertRuleView(AlertEventKind Kind, long? SendingIpId, string? Address, bool Enabled, IReadOnlyList<long> ChannelIds, bool Saved);

/// <summary>Saves the rules per kind (and per IP), the stacking window and public base URL, and the per-IP mutes.</summary>
public sealed class AlertRules(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxStackingMinutes = 24 * 60;

    /// <summary>Every kind's rule for all IPs (the default where none is saved), then the per-IP rules.</summary>
    public async Task<IReadOnlyList<AlertRuleView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await db.AlertRules.AsNoTracking().ToListAsync(ct);
        var addresses = await db.SendingIps.AsNoTracking().Where(ip => saved.Select(r => r.SendingIpId).Contains(ip.Id))
            .Select(ip => new { ip.Id, ip.Address }).ToDictionaryAsync(x => x.Id, x => x.Address.ToString(), ct);
        var general = AlertEventKinds.Ruled.Select(kind => saved.FirstOrDefault(r => r.Kind == kind && r.SendingIpId is null) is { } r
            ? new AlertRuleView(kind, null, null, r.Enabled, r.ChannelIds, true)
            : new AlertRuleView(kind, null, null, true, [], false));
        var perIp = saved.Where(r => r.SendingIpId is not null).OrderBy(r => r.Kind).ThenBy(r => r.SendingIpId)
            .Select(r => new AlertRuleView(r.Kind, r.SendingIpId, addresses.GetValueOrDefault(r.SendingIpId!.Value), r.Enabled, r.ChannelIds, true));
        return general.Concat(perIp).ToList();
    }

    /// <summary>Saves the rule of <paramref name="kind"/> for every IP (<paramref name="sendingIpId"/> null) or one IP; an error sentence when refused.</summary>
    public async Task<string?> SaveAsync(AlertEventKind kind, long? sendingIpId, bool enabled, IReadOnlyList<long> channelIds, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channelIds);
        if (!AlertEventKinds.Ruled.Contains(kind)) return $"'{kind}' is not an event kind a rule can be set for.";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await db.AlertChannels.Where(c => channelIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        if (channelIds.Except(known).FirstOrDefault() is var missing and > 0) return $"Channel {missing} does not exist (deleted meanwhile?).";
        if (sendingIpId is { } ip && !await db.SendingIps.AnyAsync(x => x.Id == ip, ct)) return $"Sending IP {ip} does not exist.";
        var rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Kind == kind && r.SendingIpId == sendingIpId, ct);
        if (rule is null)
        {
            rule = new AlertRule { Kind = kind, SendingIpId = sendingIpId, UpdatedBy = by };
            db.AlertRules.Add(rule);
        }

        rule.Enabled = enabled;
        rule.ChannelIds = channelIds.Distinct().Order().ToList();
        rule.UpdatedAt = clock.GetUtcNow();
        rule.UpdatedBy = by;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Removes a per-IP rule: the kind's rule for every IP applies to that IP again.</summary>
    public async Task<bool> RemoveIpRuleAsync(AlertEventKind kind, long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertRules.Where(r => r.Kind == kind && r.SendingIpId == sendingIpId).ExecuteDeleteAsync(ct) == 1;
    }

    public async Task<AlertSettings> LoadSettingsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new AlertSettings();
    }

    /// <summary>The stacking window (0 = every event alone) and the public base URL ("https://host[/path]", empty = none).</summary>
    public async Task<string?> SaveSettingsAsync(int stackingWindowMinutes, string? publicBaseUrl, string by, CancellationToken ct)
    {
        if (stackingWindowMinutes is < 0 or > MaxStackingMinutes) return $"The stacking window must be between 0 and {MaxStackingMinutes} minutes.";
        string? baseUrl = null;
        if (!string.IsNullOrWhiteSpace(publicBaseUrl))
        {
            if (!Uri.TryCreate(publicBaseUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                return "The public base URL must be an absolute http:// or https:// address without a query, like https://deliverability.example.com.";
            }

            baseUrl = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AlertSettings.SingleOrDefaultAsync(ct);
        if (row is null)
        {
            row = new AlertSettings();
            db.AlertSettings.Add(row);
        }

        row.StackingWindowMinutes = stackingWindowMinutes;
        row.PublicBaseUrl = baseUrl;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = by;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>No alert for the IP until <paramref name="until"/>; its events are still recorded (as muted).</summary>
    public async Task<string?> MuteAsync(long sendingIpId, DateTimeOffset until, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (until <= now) return "Mute until a time in the future.";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.SendingIps.AnyAsync(x => x.Id == sendingIpId, ct)) return $"Sending IP {sendingIpId} does not exist.";
        var mute = await db.AlertMutes.SingleOrDefaultAsync(m => m.SendingIpId == sendingIpId, ct);
        if (mute is null)
        {
            mute = new AlertMute { SendingIpId = sendingIpId, MutedBy = by };
            db.AlertMutes.Add(mute);
        }

        mute.Until = until;
        mute.MutedAt = now;
        mute.MutedBy = by;
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<bool> UnmuteAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertMutes.Where(m => m.SendingIpId == sendingIpId).ExecuteDeleteAsync(ct) == 1;
    }
}
