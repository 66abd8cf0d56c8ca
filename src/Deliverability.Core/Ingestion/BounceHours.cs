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

/// <summary>
/// Keeps <see cref="BounceHour"/> rows current (bounce and delay reports only): every writer of bounces adds (or takes away)
/// the hours of the rows it wrote in its own transaction, so the timeline is up to date the moment a chunk commits.
/// </summary>
public static class BounceHours
{
    private static string CountsSql(string source, string filter, string sign) => $"""
        INSERT INTO ip_bounce_hours AS h (sending_ip_id, hour, provider, family, bounces, hard, unknown_user, first_at, last_at)
        SELECT b.sending_ip_id, date_trunc('hour', b.occurred_at, 'UTC'), coalesce(b.provider, ''), {ReasonFamily.SqlCase()},
               {sign}count(*), {sign}count(*) FILTER (WHERE b.hard_bounce), {sign}count(*) FILTER (WHERE b.reason = 'userunknown'),
               min(b.occurred_at), max(b.occurred_at)
        FROM {source} b
        WHERE b.sending_ip_id IS NOT NULL AND b.kind IN ('Bounce', 'Delay') AND {filter}
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (sending_ip_id, hour, provider, family) DO UPDATE
            SET bounces = h.bounces + excluded.bounces, hard = h.hard + excluded.hard, unknown_user = h.unknown_user + excluded.unknown_user,
                first_at = LEAST(h.first_at, excluded.first_at), last_at = GREATEST(h.last_at, excluded.last_at)
        """;

    /// <summary>Adds the hours of the bounces of these raw messages (after they were written).</summary>
    internal static readonly string AddForMessagesSql = CountsSql("bounces", "b.raw_message_id = ANY(@raw)", "");

    /// <summary>Adds the hours of a batch's bounces (a writer that inserts a whole batch in one statement: the demo volume).</summary>
    internal static readonly string AddForBatchSql = CountsSql("bounces", "b.batch_id = @batch", "");

    /// <summary>
    /// Takes away the hours of the bounces of these raw messages (before they are deleted), then drops emptied hours. The first
    /// and last times stay as they were: wider than the rows left, which only ever makes the refresh look at an IP once more.
    /// </summary>
    internal static readonly string SubtractForMessagesSql = CountsSql("bounces", "b.raw_message_id = ANY(@raw)", "-") + """
        ;
        DELETE FROM ip_bounce_hours WHERE bounces <= 0
        """;

    /// <summary>
    /// Attributes unattributed bounces to an IP and adds their hours in one statement (the rows the update returns, so a bounce
    /// that arrives in between is counted by its own writer, never twice). Parameters: @ip, @source, and the filter's own.
    /// </summary>
    internal static string AssignSql(string filter) => $"""
        WITH moved AS (
            UPDATE bounces SET sending_ip_id = @ip, sending_ip_source = @source
            WHERE sending_ip_id IS NULL AND {filter}
            RETURNING sending_ip_id, occurred_at, provider, kind, reason, hard_bounce),
        counted AS ({CountsSql("moved", "true", "")} RETURNING 1)
        SELECT count(*)::int FROM moved
        """;

    /// <summary>The table as the Remediation migration created and filled it (before the first and last times existed).</summary>
    public static readonly string FillAllSql = $"""
        INSERT INTO ip_bounce_hours (sending_ip_id, hour, provider, family, bounces, hard, unknown_user)
        SELECT b.sending_ip_id, date_trunc('hour', b.occurred_at, 'UTC'), coalesce(b.provider, ''), {ReasonFamily.SqlCase()},
               count(*), count(*) FILTER (WHERE b.hard_bounce), count(*) FILTER (WHERE b.reason = 'userunknown')
        FROM bounces b
        WHERE b.sending_ip_id IS NOT NULL AND b.kind IN ('Bounce', 'Delay')
        GROUP BY 1, 2, 3, 4
        """;

    /// <summary>
    /// Replaces the whole table with the counts of every attributed bounce (a re-parse). The IncrementalDiagnosis migration runs
    /// it too: it may only name columns that exist from that migration on.
    /// </summary>
    public static readonly string RefillSql = "DELETE FROM ip_bounce_hours;\n" + CountsSql("bounces", "true", "");

    // From the latest retention cutoff on (Storage/BouncePartitions): the counts before it outlive their bounces.
    private static readonly string LockAndRefillSql = """
        LOCK TABLE ip_bounce_hours IN EXCLUSIVE MODE;
        DELETE FROM ip_bounce_hours WHERE hour >= @from;
        """ + CountsSql("bounces", "b.occurred_at >= @from", "");

    /// <summary>
    /// Rebuilds the table from the bounces in one transaction, from the latest retention cutoff on (after a re-parse moved rows between IPs and hours). Locks the
    /// table against the chunks of a concurrent ingest meanwhile: their increments wait and land on the rebuilt counts.
    /// </summary>
    public static async Task RebuildAllAsync(DeliverabilityDbContext db, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var from = await db.StorageSettings.Select(s => s.BouncesRemovedBefore).FirstOrDefaultAsync(ct) ?? DateTimeOffset.MinValue;
        await db.Database.ExecuteSqlRawAsync(LockAndRefillSql, [new Npgsql.NpgsqlParameter("from", from)], ct);
        await tx.CommitAsync(ct);
    }
}
