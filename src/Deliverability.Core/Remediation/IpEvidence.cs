using Deliverability.Core.Checks;

namespace Deliverability.Core.Remediation;

/// <summary>
/// Everything the diagnosis knows about one sending IP, read from the database by <see cref="IpEvidenceReader"/>: the input
/// of the pure <see cref="RemediationRules"/> and <see cref="IpStatusRules"/>. Counts cover the last
/// <see cref="RemediationRules.EvidenceDays"/> days unless a field says otherwise.
/// </summary>
public sealed record IpEvidence
{
    public required long SendingIpId { get; init; }
    public required DateTimeOffset Now { get; init; }

    /// <summary>The earliest bounce, complaint, log hour or SNDS day of the IP, ever; null without any.</summary>
    public DateTimeOffset? FirstActivityAt { get; init; }

    /// <summary>Provider codes seen in bounces and MTA logs, per provider and code.</summary>
    public IReadOnlyList<CodeSighting> Codes { get; init; } = [];

    /// <summary>Bounce and delay reports per reason.</summary>
    public IReadOnlyList<ReasonCount> Reasons { get; init; } = [];

    public ComplaintSummary Complaints { get; init; } = new(0, null, null, null);
    public IReadOnlyList<SndsDaySummary> SndsDays { get; init; } = [];

    /// <summary>Whether the newest SNDS IP status export covering the IP lists it as blocked, and when that was reported.</summary>
    public DateTimeOffset? SndsBlockedAt { get; init; }

    /// <summary>MTA log attempts, deliveries and bounces per UTC day.</summary>
    public IReadOnlyList<LogDay> LogDays { get; init; } = [];

    /// <summary>Hourly logins per user on the log hosts the IP sends from.</summary>
    public IReadOnlyList<LoginHour> Logins { get; init; } = [];

    /// <summary>The results of the latest completed check run; empty when the IP was never checked.</summary>
    public IReadOnlyList<CheckSighting> Checks { get; init; } = [];

    public DateTimeOffset? LastCheckedAt { get; init; }

    /// <summary>Blocking evidence per provider, code and day (last <see cref="IpStatusRules.BlockHistoryDays"/> days).</summary>
    public IReadOnlyList<BlockSighting> Blocks { get; init; } = [];

    public IReadOnlyList<CaseSighting> Cases { get; init; } = [];

    public bool HasAnyBounce { get; init; }

    public int BounceReports => Reasons.Where(r => !r.Delay).Sum(r => r.Count);
    public int HardBounces => Reasons.Where(r => !r.Delay).Sum(r => r.Hard);
    public int UnknownUserBounces => Reasons.Where(r => !r.Delay && r.Reason == "userunknown").Sum(r => r.Count);
    public int LogAttempts => LogDays.Sum(d => d.Attempts);
    public int LogSent => LogDays.Sum(d => d.Sent);
    public int LogBounced => LogDays.Sum(d => d.Bounced);
}

/// <summary>A provider code seen <paramref name="Count"/> times; <paramref name="FromLog"/> when it came from MTA log hours.</summary>
public sealed record CodeSighting(string Provider, string Code, int Count, DateTimeOffset First, DateTimeOffset Last, bool FromLog, long? LatestBatchId);

public sealed record ReasonCount(string Reason, bool Delay, int Count, int Hard, DateTimeOffset Last, long? LatestBatchId);

public sealed record ComplaintSummary(int Count, DateTimeOffset? First, DateTimeOffset? Last, long? LatestBatchId);

public sealed record SndsDaySummary(DateOnly Day, string FilterResult, decimal? ComplaintRate, int TrapHits, int MessageRecipients);

public sealed record LogDay(DateOnly Day, int Attempts, int Sent, int Deferred, int Bounced);

public sealed record LoginHour(string User, DateTimeOffset Hour, int Succeeded);

public sealed record CheckSighting(string Check, string Target, CheckStatus Status, string Summary, DateTimeOffset CheckedAt, int? Score = null);

/// <summary>One day of block evidence from one provider: block bounces, Microsoft block log hours or an SNDS block.</summary>
public sealed record BlockSighting(string Provider, string Code, DateTimeOffset First, DateTimeOffset Last, int Count);

public sealed record CaseSighting(string Target, bool Resolved, bool Unblocked, DateTimeOffset? ResolvedAt);
