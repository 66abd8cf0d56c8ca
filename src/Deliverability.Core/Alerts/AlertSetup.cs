using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Alerts;

/// <summary>A channel as the alert settings list it (its secret is never read here).</summary>
public sealed record AlertChannelRow(long Id, string Name, AlertChannelType Type, string Destination, bool Enabled);

/// <summary>A current mute: the IP, until when and who muted it.</summary>
public sealed record AlertMuteRow(long SendingIpId, string Address, DateTimeOffset Until, string By);

/// <summary>The current mutes, and every sending IP by id (the IPs a mute can name) in address order.</summary>
public sealed record AlertMutesView(IReadOnlyDictionary<long, string> Ips, IReadOnlyList<AlertMuteRow> Mutes);

/// <summary>What the alert settings sections show: the channels, the channels' names for the rules, the current mutes.</summary>
public sealed class AlertSetup(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public async Task<List<AlertChannelRow>> ChannelsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new AlertChannelRow(c.Id, c.Name, c.Type, c.Destination, c.Enabled)).ToListAsync(ct);
    }

    public async Task<Dictionary<long, string>> ChannelNamesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.AsNoTracking().OrderBy(c => c.Name).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
    }

    public async Task<AlertMutesView> MutesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var ips = (await db.SendingIps.AsNoTracking().OrderBy(x => x.Address).Select(x => new { x.Id, x.Address }).ToListAsync(ct))
            .ToDictionary(x => x.Id, x => x.Address.ToString());
        var mutes = (await db.AlertMutes.AsNoTracking().Where(m => m.Until > now).OrderBy(m => m.Until).ToListAsync(ct))
            .Select(m => new AlertMuteRow(m.SendingIpId, ips.GetValueOrDefault(m.SendingIpId, "unknown"), m.Until, m.MutedBy)).ToList();
        return new AlertMutesView(ips, mutes);
    }
}
