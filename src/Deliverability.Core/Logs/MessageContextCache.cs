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

    /// <summary>Deferrals remembered across all messages (each holds a reply of up to 2 000 characters).</summary>
    public const int MaxDeferredTotal = 20_000;

    private readonly Dictionary<string, MessageContext> _contexts = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Generation)> _order = new();
    private long _generation;
    private int _deferredTotal;

    public MessageContext? Find(string queueId) => _contexts.GetValueOrDefault(queueId);

    public MessageContext GetOrAdd(string queueId)
    {
        if (_contexts.TryGetValue(queueId, out var existing))
        {
            return existing;
        }

        var context = new MessageContext { Generation = ++_generation };
        _contexts[queueId] = context;
        _order.Enqueue((queueId, context.Generation));
        while (_contexts.Count > capacity && _order.TryDequeue(out var oldest))
        {
            if (_contexts.TryGetValue(oldest.Key, out var candidate) && candidate.Generation == oldest.Generation)
            {
                Forget(oldest.Key);
            }
        }

        if (_order.Count > (2 * capacity) + 16)
        {
            // Keys removed by "removed" lines linger in the queue; rebuild it from what is still remembered.
            var live = _order.Where(o => _contexts.TryGetValue(o.Key, out var c) && c.Generation == o.Generation).ToList();
            _order.Clear();
            foreach (var item in live)
            {
                _order.Enqueue(item);
            }
        }

        return context;
    }

    public void Forget(string queueId)
    {
        if (_contexts.Remove(queueId, out var context))
        {
            _deferredTotal -= context.Deferred.Count;
        }
    }

    /// <summary>Remembers the latest deferral of a recipient, within the per-message and total limits.</summary>
    public void RememberDeferral(string queueId, DeliveryAttempt attempt)
    {
        var context = GetOrAdd(queueId);
        if (context.Deferred.ContainsKey(attempt.Recipient))
        {
            context.Deferred[attempt.Recipient] = attempt;
        }
        else if (context.Deferred.Count < MaxDeferredPerMessage && _deferredTotal < MaxDeferredTotal)
        {
            context.Deferred[attempt.Recipient] = attempt;
            _deferredTotal++;
        }
    }

    public void ForgetDeferral(MessageContext context, string recipient)
    {
        if (context.Deferred.Remove(recipient))
        {
            _deferredTotal--;
        }
    }

    public void ForgetDeferrals(MessageContext context)
    {
        _deferredTotal -= context.Deferred.Count;
        context.Deferred.Clear();
    }
}
