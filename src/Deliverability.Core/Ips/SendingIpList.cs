using System.Linq.Expressions;
using System.Net;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ips;

/// <summary>One row of the Sending IPs table: the IP and its last diagnosed status.</summary>
public sealed record SendingIpListRow
{
    public long Id { get; init; }
    public required IPAddress Address { get; init; }
    public string? Label { get; init; }
    public IpHealth Health { get; init; }
    public string? BlockedBy { get; init; }
    public string? BlockCode { get; init; }
    public DateTimeOffset? BlockedSince { get; init; }
    public int ListedOn { get; init; }
    public int AuthFailures { get; init; }
    public int Bounces24h { get; init; }
    public int Bounces7d { get; init; }
    public double? HardBounceRate { get; init; }
    public double? UnknownUserRate { get; init; }
    public int? SenderScore { get; init; }
    public DateTimeOffset? LastCheckedAt { get; init; }
    public int OpenItems { get; init; }
    public int OpenCases { get; init; }
}

/// <summary>What the user asked the table for: a page, a sort and filters.</summary>
public sealed record SendingIpListQuery(int Page, int PageSize, string? SortBy, bool Descending, string? Search, IpHealth? Health);

/// <summary>
/// Pages, sorts and filters the sending IPs in the database (table ip_status holds the per-IP figures, so no bounce is
/// read here). Search takes an address, a CIDR range ("203.0.113.0/24") or part of a label or address.
/// </summary>
public sealed class SendingIpList(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    public async Task<(List<SendingIpListRow> Rows, int Total)> LoadAsync(SendingIpListQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = Rows(db, Filter(db, query.Search));
        if (query.Health is { } health)
        {
            rows = rows.Where(r => r.Health == health);
        }

        var total = await rows.CountAsync(ct);
        var page = await Sort(rows, query.SortBy, query.Descending)
            .Skip((int)Math.Min(int.MaxValue, Math.Max(0, query.Page) * (long)query.PageSize)).Take(query.PageSize).ToListAsync(ct);
        return (page, total);
    }

    /// <summary>How many IPs have each status (for the filter chips).</summary>
    public async Task<Dictionary<IpHealth, int>> CountByHealthAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await Rows(db, db.SendingIps).GroupBy(r => r.Health).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return counts.ToDictionary(x => x.Key, x => x.Count);
    }

    private static IQueryable<SendingIpListRow> Rows(DeliverabilityDbContext db, IQueryable<SendingIp> ips) =>
        from ip in ips.AsNoTracking()
        join s in db.IpStatus on ip.Id equals s.SendingIpId into statuses
        from s in statuses.DefaultIfEmpty()
        select new SendingIpListRow
        {
            Id = ip.Id,
            Address = ip.Address,
            Label = ip.Label,
            Health = s == null ? IpHealth.NoData : s.Health,
            BlockedBy = s == null ? null : s.BlockedBy,
            BlockCode = s == null ? null : s.BlockCode,
            BlockedSince = s == null ? null : s.BlockedSince,
            ListedOn = s == null ? 0 : s.ListedOn,
            AuthFailures = s == null ? 0 : s.AuthFailures,
            Bounces24h = s == null ? 0 : s.Bounces24h,
            Bounces7d = s == null ? 0 : s.Bounces7d,
            HardBounceRate = s == null ? null : s.HardBounceRate,
            UnknownUserRate = s == null ? null : s.UnknownUserRate,
            SenderScore = s == null ? null : s.SenderScore,
            LastCheckedAt = s == null ? null : s.LastCheckedAt,
            OpenItems = s == null ? 0 : s.OpenItems,
            // Counted from the cases themselves (ix_delisting_cases_one_unresolved_per_target): a case that opens,
            // ends or reopens shows at once, while the diagnosis that recounts it may still wait behind another run of the IP.
            OpenCases = db.DelistingCases.Count(c => c.SendingIpId == ip.Id && c.State != DelistingCaseState.Resolved),
        };

    private static IQueryable<SendingIp> Filter(DeliverabilityDbContext db, string? search)
    {
        // A NUL cannot go into a PostgreSQL parameter: cleaned like stored text, it matches nothing instead of failing the query.
        var text = StorableText.Clean(search?.Trim());
        if (string.IsNullOrEmpty(text))
        {
            return db.SendingIps;
        }

        if (TryParseRange(text, out var network, out var prefix))
        {
            var range = $"{network}/{prefix}";
            return db.SendingIps.FromSql($"SELECT * FROM sending_ips WHERE address <<= CAST({range} AS inet)");
        }

        var pattern = "%" + EscapeLike(text) + "%";
        return db.SendingIps.FromSql($"SELECT * FROM sending_ips WHERE label ILIKE {pattern} OR host(address) ILIKE {pattern}");
    }

    /// <summary>"203.0.113.0/24" or a single address (its own /32 or /128).</summary>
    public static bool TryParseRange(string text, out IPAddress network, out int prefix)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressPart, out network!) || (slash < 0 && !addressPart.Contains('.', StringComparison.Ordinal) && !addressPart.Contains(':', StringComparison.Ordinal)))
        {
            prefix = 0;
            return false;
        }

        var max = network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash < 0)
        {
            prefix = max;
            return addressPart.Count(c => c == '.') == 3 || addressPart.Contains(':', StringComparison.Ordinal);
        }

        return int.TryParse(text.AsSpan(slash + 1), out prefix) && prefix >= 0 && prefix <= max;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static IQueryable<SendingIpListRow> Sort(IQueryable<SendingIpListRow> rows, string? sortBy, bool descending)
    {
        IOrderedQueryable<SendingIpListRow> sorted = sortBy switch
        {
            nameof(SendingIpListRow.Label) => Order(rows, r => r.Label, descending),
            nameof(SendingIpListRow.Health) => Order(rows, r => r.Health == IpHealth.Blocked ? 6 : r.Health == IpHealth.Listed ? 5 : r.Health == IpHealth.AuthenticationProblems ? 4 : r.Health == IpHealth.AtRisk ? 3 : r.Health == IpHealth.Healthy ? 2 : r.Health == IpHealth.SeenInBounces ? 1 : 0, descending),
            nameof(SendingIpListRow.Bounces24h) => Order(rows, r => r.Bounces24h, descending),
            nameof(SendingIpListRow.Bounces7d) => Order(rows, r => r.Bounces7d, descending),
            nameof(SendingIpListRow.HardBounceRate) => Order(rows, r => r.HardBounceRate ?? -1, descending),
            nameof(SendingIpListRow.UnknownUserRate) => Order(rows, r => r.UnknownUserRate ?? -1, descending),
            nameof(SendingIpListRow.SenderScore) => Order(rows, r => r.SenderScore ?? -1, descending),
            nameof(SendingIpListRow.LastCheckedAt) => Order(rows, r => r.LastCheckedAt, descending),
            nameof(SendingIpListRow.OpenItems) => Order(rows, r => r.OpenItems, descending),
            nameof(SendingIpListRow.OpenCases) => Order(rows, r => r.OpenCases, descending),
            nameof(SendingIpListRow.Address) => Order(rows, r => r.Address, descending),
            // Default: the IPs needing attention first.
            _ => rows.OrderByDescending(r => r.Health == IpHealth.Blocked ? 6 : r.Health == IpHealth.Listed ? 5 : r.Health == IpHealth.AuthenticationProblems ? 4 : r.Health == IpHealth.AtRisk ? 3 : r.Health == IpHealth.Healthy ? 2 : r.Health == IpHealth.SeenInBounces ? 1 : 0)
                .ThenByDescending(r => r.Bounces7d),
        };
        return sorted.ThenBy(r => r.Id);
    }

    private static IOrderedQueryable<SendingIpListRow> Order<TKey>(IQueryable<SendingIpListRow> rows, Expression<Func<SendingIpListRow, TKey>> key, bool descending) =>
        descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
}
