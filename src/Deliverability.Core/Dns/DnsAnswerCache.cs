using System.Collections.Concurrent;

namespace Deliverability.Core.Dns;

/// <summary>Keeps answers for their TTL (capped), measured with <see cref="TimeProvider"/>. Failures are never stored.</summary>
public sealed class DnsAnswerCache(TimeProvider time, int maxEntries, int maxSeconds)
{
    private readonly ConcurrentDictionary<(string Name, DnsRecordKind Kind), (DnsAnswer Answer, DateTimeOffset Expires)> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(string name, DnsRecordKind kind, out DnsAnswer answer)
    {
        if (_entries.TryGetValue((Key(name), kind), out var entry))
        {
            if (entry.Expires > time.GetUtcNow())
            {
                answer = entry.Answer;
                return true;
            }

            _entries.TryRemove((Key(name), kind), out _);
        }

        answer = null!;
        return false;
    }

    public void Store(DnsAnswer answer)
    {
        if (answer.IsFailure || answer.TtlSeconds <= 0) return;
        if (_entries.Count >= maxEntries) _entries.Clear();
        var seconds = Math.Min(answer.TtlSeconds, maxSeconds);
        _entries[(Key(answer.Name), answer.Kind)] = (answer, time.GetUtcNow().AddSeconds(seconds));
    }

    private static string Key(string name) => name.TrimEnd('.').ToLowerInvariant();
}
