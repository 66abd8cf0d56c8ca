using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Remediation;

/// <summary>A moment worth a marker on the timeline.</summary>
public sealed record TimelineMarker(DateTimeOffset At, string Kind, string Text);

/// <summary>A provider's bounces over the timeline's window.</summary>
public sealed record ProviderBounces(string Provider, int Bounces);

/// <summary>A span of time on the timeline (the first block and the 48 hours after it).</summary>
public sealed record TimeWindow(DateTimeOffset From, DateTimeOffset To);

/// <summary>What the IP page's timeline draws: hourly bounces by family, log deliveries and deferrals, and markers.</summary>
public sealed class IpTimelineData
{
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }

    /// <summary>Bounces per hour (index = hours since <see cref="Start"/>) for each family that has any.</summary>
    public required Dictionary<string, int[]> BouncesByFamily { get; init; }

    /// <summary>Bounces per provider over the window, largest first.</summary>
    public required List<ProviderBounces> ByProvider { get; init; }

    public int[]? Sent { get; init; }
    public int[]? Deferred { get; init; }

    /// <summary>Refused (bounced or expired) log lines per hour.</summary>
    public int[]? Refused { get; init; }
    public required List<TimelineMarker> Markers { get; init; }

    /// <summary>The first block and the 48 hours after it, when there is a block in the window.</summary>
    public TimeWindow? AnalysisWindow { get; init; }

    public int Hours => (int)(End - Start).TotalHours;

    /// <summary>Each UTC midnight inside the window, with its label ("30 Nov", "today").</summary>
    public IEnumerable<(DateTimeOffset At, string Label)> DayTicks(DateTimeOffset now)
    {
        var today = now.UtcDateTime.Date;
        for (var day = new DateTimeOffset(Start.UtcDateTime.Date, TimeSpan.Zero); day <= End; day = day.AddDays(1))
        {
            if (day < Start) continue;
            var date = day.UtcDateTime.Date;
            yield return (day, date == today ? $"{date.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture)} (today)" : date.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
    public bool IsEmpty => BouncesByFamily.Count == 0 && Sent is null && Markers.Count == 0;

    public const int DefaultDays = 14;
    public const int MaxDays = 45;

    /// <summary>
    /// The last <see cref="DefaultDays"/> days, stretched back to one day before the first block when that is older
    /// (at most <see cref="MaxDays"/>). Reads the hourly pre-aggregates, never the bounces themselves.
    /// </summary>
    public static async Task<IpTimelineData> LoadAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset? blockedSince, DateTimeOffset now, CancellationToken ct)
    {
        var end = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour + 1), TimeSpan.Zero);
        var start = end.AddDays(-DefaultDays);
        if (blockedSince is { } block && block.AddDays(-1) < start)
        {
            var earliest = end.AddDays(-MaxDays);
            start = block.AddDays(-1) < earliest ? earliest : new DateTimeOffset(block.UtcDateTime.Date.AddDays(-1), TimeSpan.Zero);
        }

        var hours = (int)(end - start).TotalHours;
        var bounceHours = await db.BounceHours.AsNoTracking()
            .Where(h => h.SendingIpId == sendingIpId && h.Hour >= start && h.Hour < end)
            .Select(h => new { h.Hour, h.Family, h.Provider, h.Bounces }).ToListAsync(ct);
        var byFamily = new Dictionary<string, int[]>();
        foreach (var h in bounceHours)
        {
            if (!byFamily.TryGetValue(h.Family, out var series)) byFamily[h.Family] = series = new int[hours];
            series[Index(h.Hour)] += h.Bounces;
        }

        var byProvider = bounceHours.GroupBy(h => h.Provider).Select(g => new ProviderBounces(g.Key, g.Sum(h => h.Bounces))).OrderByDescending(p => p.Bounces).ToList();

        var logHours = await db.MtaLogHours.AsNoTracking()
            .Where(h => h.SendingIpId == sendingIpId && h.Hour >= start && h.Hour < end)
            .GroupBy(h => h.Hour).Select(g => new { Hour = g.Key, Sent = g.Sum(h => h.Sent), Deferred = g.Sum(h => h.Deferred), Refused = g.Sum(h => h.Bounced) }).ToListAsync(ct);
        int[]? sent = null, deferred = null, refused = null;
        if (logHours.Count > 0)
        {
            sent = new int[hours];
            deferred = new int[hours];
            refused = new int[hours];
            foreach (var h in logHours)
            {
                sent[Index(h.Hour)] += h.Sent;
                deferred[Index(h.Hour)] += h.Deferred;
                refused[Index(h.Hour)] += h.Refused;
            }
        }

        var markers = new List<TimelineMarker>();
        TimeWindow? window = null;
        if (blockedSince is { } since && since >= start)
        {
            markers.Add(new TimelineMarker(since, "block", "First block"));
            window = new TimeWindow(since, since.AddHours(48));
        }

        var changes = await db.CheckChanges.AsNoTracking()
            .Where(c => c.SendingIpId == sendingIpId && c.At >= start && c.At < end)
            .OrderBy(c => c.At).Select(c => new { c.At, c.Check, c.Target, c.FromStatus, c.ToStatus }).Take(200).ToListAsync(ct);
        foreach (var c in changes)
        {
            var isList = c.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase);
            var name = isList ? c.Check[BlocklistCheck.Prefix.Length..] : c.Check.ToUpperInvariant();
            if (isList && c.ToStatus is CheckStatus.Fail or CheckStatus.Warn) markers.Add(new TimelineMarker(c.At, "listed", $"Listed on {name}"));
            else if (isList && c.ToStatus is CheckStatus.Pass) markers.Add(new TimelineMarker(c.At, "delisted", $"Delisted from {name}"));
            else if (c.ToStatus is CheckStatus.Fail) markers.Add(new TimelineMarker(c.At, "check-failed", $"{name} failing ({c.Target})"));
            else if (c.ToStatus is CheckStatus.Pass) markers.Add(new TimelineMarker(c.At, "check-passed", $"{name} passing ({c.Target})"));
        }

        return new IpTimelineData
        {
            Start = start,
            End = end,
            BouncesByFamily = byFamily,
            ByProvider = byProvider,
            Sent = sent,
            Deferred = deferred,
            Refused = refused is not null && refused.Any(r => r > 0) ? refused : null,
            Markers = markers,
            AnalysisWindow = window,
        };

        int Index(DateTimeOffset hour) => Math.Clamp((int)(hour - start).TotalHours, 0, hours - 1);
    }
}
