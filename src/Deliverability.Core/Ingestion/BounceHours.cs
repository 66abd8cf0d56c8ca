using System.Collections.Frozen;
using System.Text;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Ingestion;

/// <summary>Groups of bounce reasons as the timeline chart stacks them.</summary>
public static class ReasonFamily
{
    public const string Block = "block";
    public const string Spam = "spam";
    public const string RateLimit = "rate";
    public const string Authentication = "auth";
    public const string Recipient = "recipient";
    public const string Delay = "delay";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Block, Spam, RateLimit, Authentication, Recipient, Delay, Other];

    private static readonly FrozenDictionary<string, string> ByReason = new Dictionary<string, string>
    {
        [BounceReasons.Blocked] = Block,
        [BounceReasons.Rejected] = Block,
        [BounceReasons.SecurityError] = Authentication,
        [BounceReasons.AuthFailure] = Authentication,
        [BounceReasons.RequirePtr] = Authentication,
        [BounceReasons.NotCompliantRfc] = Authentication,
        [BounceReasons.SpamDetected] = Spam,
        [BounceReasons.PolicyViolation] = Spam,
        [BounceReasons.VirusDetected] = Spam,
        [BounceReasons.ContentError] = Spam,
        [BounceReasons.TooManyConn] = RateLimit,
        [BounceReasons.Speeding] = RateLimit,
        [BounceReasons.UserUnknown] = Recipient,
        [BounceReasons.HostUnknown] = Recipient,
        [BounceReasons.HasMoved] = Recipient,
        [BounceReasons.MailboxFull] = Recipient,
        [BounceReasons.Suspend] = Recipient,
        [BounceReasons.NotAccept] = Recipient,
        [BounceReasons.Filtered] = Recipient,
    }.ToFrozenDictionary();

    /// <summary>The family of a report: delays are their own family whatever the reason.</summary>
    public static string Of(string reason, bool delay) => delay ? Delay : ByReason.GetValueOrDefault(reason, Other);

    public static string Label(string family) => family switch
    {
        Block => "Blocked",
        Spam => "Spam / policy",
        RateLimit => "Rate limited",
        Authentication => "Authentication",
        Recipient => "Recipient",
        Delay => "Delayed",
        _ => "Other",
    };

    /// <summary>The same mapping as a SQL CASE over the bounces table's reason and kind columns.</summary>
    internal static string SqlCase()
    {
        var sql = new StringBuilder("CASE WHEN b.kind = 'Delay' THEN 'delay' ");
        foreach (var group in ByReason.GroupBy(p => p.Value, p => p.Key))
        {
            sql.Append("WHEN b.reason IN (").AppendJoin(", ", group.Select(r => $"'{r}'")).Append(") THEN '").Append(group.Key).Append("' ");
        }

        return sql.Append("ELSE 'other' END").ToString();
    }
}

/// <summary>Rebuilds <see cref="BounceHour"/> rows of IPs from their bounces (bounce and delay reports only).</summary>
public static class BounceHours
{
    private static string InsertSql(string ipFilter) => $"""
        INSERT INTO ip_bounce_hours (sending_ip_id, hour, provider, family, bounces, hard, unknown_user)
        SELECT b.sending_ip_id, date_trunc('hour', b.occurred_at, 'UTC'), coalesce(b.provider, ''), {ReasonFamily.SqlCase()},
               count(*), count(*) FILTER (WHERE b.hard_bounce), count(*) FILTER (WHERE b.reason = 'userunknown')
        FROM bounces b
        WHERE {ipFilter} AND b.kind IN ('Bounce', 'Delay')
        GROUP BY 1, 2, 3, 4
        """;

    private static readonly string RebuildSql = InsertSql("b.sending_ip_id = ANY(@ids)");

    /// <summary>Fills the table from every attributed bounce (the migration that creates it runs this once).</summary>
    public static readonly string FillAllSql = InsertSql("b.sending_ip_id IS NOT NULL");

    /// <summary>Replaces the hourly counts of these IPs in one transaction (the caller's, if one is open).</summary>
    public static async Task RebuildAsync(DeliverabilityDbContext db, IReadOnlyCollection<long> sendingIpIds, CancellationToken ct)
    {
        if (sendingIpIds.Count == 0) return;
        var ids = sendingIpIds.ToArray();
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await using (own)
        {
            await db.BounceHours.Where(h => ids.Contains(h.SendingIpId)).ExecuteDeleteAsync(ct);
            await db.Database.ExecuteSqlRawAsync(RebuildSql, [new Npgsql.NpgsqlParameter("ids", ids)], ct);
            if (own is not null) await own.CommitAsync(ct);
        }
    }
}
