using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>The IP page's activity from MTA logs: the busiest hours and the logins per user of the last 14 days, spikes flagged.</summary>
public sealed class IpActivity(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public const int Days = 14;

    public sealed record VolumeRow(DateTimeOffset Hour, int Attempts, int Sent, int Deferred, int Bounced, bool Spike, double Ratio);

    public sealed record LoginRow(string User, int Succeeded, int Failed, int PeakLogins, DateTimeOffset PeakHour, bool Spike);

    /// <summary><see cref="MedianAttempts"/>: the usual hour, the median of the hours with mail.</summary>
    public sealed record View(IReadOnlyList<VolumeRow> Volume, int MedianAttempts, IReadOnlyList<LoginRow> Logins);

    public async Task<View> LoadAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().AddDays(-Days);
        var hours = await db.MtaLogHours.AsNoTracking().Where(h => h.SendingIpId == sendingIpId && h.Hour >= since)
            .GroupBy(h => h.Hour)
            .Select(g => new { Hour = g.Key, Attempts = g.Sum(h => h.Attempts), Sent = g.Sum(h => h.Sent), Deferred = g.Sum(h => h.Deferred), Bounced = g.Sum(h => h.Bounced) })
            .ToListAsync(ct);
        var median = Median(hours.Select(h => h.Attempts));
        var volume = hours.OrderByDescending(h => h.Attempts).Take(8)
            .Select(h =>
            {
                var ratio = median == 0 ? 0 : (double)h.Attempts / median;
                return new VolumeRow(h.Hour, h.Attempts, h.Sent, h.Deferred, h.Bounced, ratio >= 3 && h.Attempts >= 50, ratio);
            })
            .ToList();

        var hosts = await db.MtaLogHours.AsNoTracking().Where(h => h.SendingIpId == sendingIpId).Select(h => h.LogHost).Distinct().ToListAsync(ct);
        var logins = hosts.Count == 0 ? [] : await db.MtaLogLoginHours.AsNoTracking().Where(l => hosts.Contains(l.LogHost) && l.Hour >= since)
            .Select(l => new { l.User, l.Hour, l.Succeeded, l.Failed }).ToListAsync(ct);
        // The same rule as the diagnosis's "compromised account" cause, so the page flags what the checklist raises.
        var spiking = AbuseCauses.LoginSpikes(logins.Select(l => new LoginHour(l.User, l.Hour, l.Succeeded)).ToList())
            .Select(spike => spike.User).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rows = logins.GroupBy(l => l.User)
            .Select(g =>
            {
                var peak = g.MaxBy(l => l.Succeeded)!;
                return new LoginRow(g.Key, g.Sum(l => l.Succeeded), g.Sum(l => l.Failed), peak.Succeeded, peak.Hour, spiking.Contains(g.Key));
            })
            .OrderByDescending(r => r.Spike).ThenByDescending(r => r.Succeeded).Take(10).ToList();
        return new View(volume, median, rows);
    }

    private static int Median(IEnumerable<int> values)
    {
        var sorted = values.Where(v => v > 0).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
