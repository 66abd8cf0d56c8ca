using System.Collections.Concurrent;

namespace Deliverability.Core.Dns;

/// <summary>
/// Per-zone limits: at most N queries in flight to one zone, and (for zones named explicitly, i.e. blocklists)
/// at most M query starts per second, spaced evenly, so a batch run does not hammer a public list.
/// </summary>
public sealed class ZoneThrottle
{
    private readonly ConcurrentDictionary<string, ZoneGate> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _maxConcurrent;
    private readonly TimeSpan _spacing;
    private readonly TimeProvider _time;

    public ZoneThrottle(int maxConcurrent, int maxPerSecond, TimeProvider time)
    {
        _maxConcurrent = Math.Max(1, maxConcurrent);
        _spacing = maxPerSecond > 0 ? TimeSpan.FromTicks(TimeSpan.TicksPerSecond / maxPerSecond) : TimeSpan.Zero;
        _time = time;
    }

    /// <summary>Waits for a slot in <paramref name="zone"/>; dispose the result to release it.</summary>
    public async Task<IDisposable> EnterAsync(string zone, bool rateLimited, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(zone, _ => new ZoneGate(_maxConcurrent));
        await gate.Slots.WaitAsync(cancellationToken);
        try
        {
            if (rateLimited && _spacing > TimeSpan.Zero)
            {
                var delay = gate.Reserve(_time.GetUtcNow(), _spacing);
                if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, cancellationToken);
            }
        }
        catch
        {
            gate.Slots.Release();
            throw;
        }

        return new Releaser(gate.Slots);
    }

    /// <summary>Derives the zone a name belongs to when the caller does not say: the last two labels ("example.com"), or the /24 or /48-ish parent for reverse names.</summary>
    public static string ZoneOf(string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        if (labels.Length >= 2 && labels[^1].Equals("arpa", StringComparison.OrdinalIgnoreCase))
        {
            // 4.3.2.1.in-addr.arpa -> 3.2.1.in-addr.arpa; ip6.arpa names -> their first 12 nibbles (/48).
            var keep = labels[^2].Equals("ip6", StringComparison.OrdinalIgnoreCase) ? 14 : 5;
            return string.Join('.', labels.Skip(Math.Max(0, labels.Length - keep)));
        }

        return labels.Length <= 2 ? string.Join('.', labels) : string.Join('.', labels[^2..]);
    }

    private sealed class ZoneGate(int slots)
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _next = DateTimeOffset.MinValue;

        public SemaphoreSlim Slots { get; } = new(slots, slots);

        public TimeSpan Reserve(DateTimeOffset now, TimeSpan spacing)
        {
            lock (_lock)
            {
                var start = _next > now ? _next : now;
                _next = start + spacing;
                return start - now;
            }
        }
    }

    private sealed class Releaser(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
