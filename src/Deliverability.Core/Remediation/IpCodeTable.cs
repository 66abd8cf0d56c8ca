using Deliverability.Core.Data;
using Deliverability.Core.Providers;
using Microsoft.Extensions.Caching.Memory;

namespace Deliverability.Core.Remediation;

/// <summary>One provider code the IP page lists: how often, since when, seen where, and what the code means when it is known.</summary>
public sealed record IpCodeRow(string Provider, string Code, int Count, int InLogs, DateTimeOffset First, DateTimeOffset Last, ProviderCode? Known);

/// <summary>
/// The IP page's codes table: the diagnosis's own reading of the codes (bounces and MTA log lines, one per message and
/// recipient), newest first. Reading it means reading every refusal of the evidence window, so it is kept per IP and
/// diagnosis: a diagnosis runs after every batch or log that touches the IP and every hour, and each one gives a new
/// key, and the table is read as of that diagnosis. Before the first diagnosis there is nothing to key on and it is read
/// on every view.
/// </summary>
public sealed class IpCodeTable(IMemoryCache cache)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromHours(2);

    public async Task<IReadOnlyList<IpCodeRow>> ReadAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset? diagnosedAt, DateTimeOffset now, CancellationToken ct)
    {
        if (diagnosedAt is not { } at)
        {
            return await ComputeAsync(db, sendingIpId, now, ct);
        }

        var key = (nameof(IpCodeTable), sendingIpId, at);
        if (cache.TryGetValue(key, out IReadOnlyList<IpCodeRow>? kept) && kept is not null)
        {
            return kept;
        }

        // Read as the diagnosis saw it, so the table and the verdict above it speak of the same evidence.
        var rows = await ComputeAsync(db, sendingIpId, at, ct);
        cache.Set(key, rows, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeptFor });
        return rows;
    }

    private static async Task<IReadOnlyList<IpCodeRow>> ComputeAsync(DeliverabilityDbContext db, long sendingIpId, DateTimeOffset now, CancellationToken ct)
    {
        var codes = await IpEvidenceReader.ReadCodesAsync(db, sendingIpId, now, ct);
        return codes.OrderByDescending(c => c.Last)
            .Select(c => new IpCodeRow(c.Provider, c.Code, c.Count, c.InLogs, c.First, c.Last, ProviderCodeCatalog.Find(c.Provider, c.Code)))
            .ToList();
    }
}
