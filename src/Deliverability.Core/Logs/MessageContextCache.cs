namespace Deliverability.Core.Logs;

/// <summary>What earlier lines said about one queued message.</summary>
internal sealed class MessageContext
{
    public string? Sender { get; set; }

    public string? MessageId { get; set; }

    public string? SubmittedBy { get; set; }

    /// <summary>The last deferral per recipient, so that a later "status=expired" can name them.</summary>
    public Dictionary<string, DeliveryAttempt> Deferred { get; } = new(StringComparer.Ordinal);

    internal long Generation { get; set; }
}

/// <summary>Remembers per-queue-id facts between lines, forgetting the oldest when full, so memory stays bounded.</summary>
internal sealed class MessageContextCache(int capacity)
{
    public const int MaxDeferredPerMessage = 32;

    private readonly Dictionary<string, MessageContext> contexts = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Generation)> order = new();
    private long generation;

    public MessageContext? Find(string queueId) => contexts.GetValueOrDefault(queueId);

    public MessageContext GetOrAdd(string queueId)
    {
        if (contexts.TryGetValue(queueId, out var existing))
        {
            return existing;
        }

        var context = new MessageContext { Generation = ++generation };
        contexts[queueId] = context;
        order.Enqueue((queueId, context.Generation));
        while (contexts.Count > capacity && order.TryDequeue(out var oldest))
        {
            if (contexts.TryGetValue(oldest.Key, out var candidate) && candidate.Generation == oldest.Generation)
            {
                contexts.Remove(oldest.Key);
            }
        }

        if (order.Count > (2 * capacity) + 16)
        {
            // Keys removed by "removed" lines linger in the queue; rebuild it from what is still remembered.
            var live = order.Where(o => contexts.TryGetValue(o.Key, out var c) && c.Generation == o.Generation).ToList();
            order.Clear();
            foreach (var item in live)
            {
                order.Enqueue(item);
            }
        }

        return context;
    }

    public void Forget(string queueId) => contexts.Remove(queueId);
}
