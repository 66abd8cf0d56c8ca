using System.Collections.Frozen;
using Deliverability.Core.Checks;
using Deliverability.Core.Bounces;

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

    /// <summary>The IP's address as text ("203.0.113.25"), as alerts name it.</summary>
    public string Address { get; init; } = "";

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

    /// <summary>What receivers' DMARC aggregate reports of the window say of the IP, per reporter and From domain; empty when no report covers it.</summary>
    public IReadOnlyList<DmarcReportSighting> DmarcReports { get; init; } = [];

    /// <summary>The DKIM signatures those reports evaluated (auth_results), per reporter, From domain, signing domain and selector.</summary>
    public IReadOnlyList<DkimReportSighting> DmarcSignatures { get; init; } = [];

    /// <summary>
    /// Refusals and deferrals from bounces and MTA log lines, one per message and recipient (a log line and the DSN of the same
    /// refusal are one), oldest first; those with a provider code go back <see cref="IpStatusRules.BlockHistoryDays"/> days, the rest
    /// <see cref="RemediationRules.EvidenceDays"/>.
    /// </summary>
    public IReadOnlyList<Refusal> Refusals { get; init; } = [];

    /// <summary>MTA log deliveries (status sent) per hour, for the rates' denominators; empty without log lines.</summary>
    public IReadOnlyList<LogDeliveryHour> LogDeliveries { get; init; } = [];

    /// <summary>Whether any MTA log line of the last <see cref="RemediationRules.EvidenceDays"/> days is attributed to the IP.</summary>
    public bool HasLogs { get; init; }

    public int BounceReports => Reasons.Where(r => !r.Delay).Sum(r => r.Count);
    public int HardBounces => Reasons.Where(r => !r.Delay).Sum(r => r.Hard);
    public int UnknownUserBounces => Reasons.Where(r => !r.Delay && r.Reason == BounceReasons.UserUnknown).Sum(r => r.Count);
    public int LogAttempts => LogDays.Sum(d => d.Attempts);
    public int LogSent => LogDays.Sum(d => d.Sent);
    public int LogBounced => LogDays.Sum(d => d.Bounced);
}

/// <summary>Where a piece of evidence was seen.</summary>
public enum EvidenceSource
{
    Bounce,
    LogLine,
}

/// <summary>
/// One refusal (<see cref="Delay"/> false: the message was refused or expired) or deferral of one message to one recipient, from a
/// bounce or an MTA log line. <see cref="At"/> is when it happened (the log line; the DSN's last attempt or own date).
/// </summary>
public sealed record Refusal(
    DateTimeOffset At,
    EvidenceSource Source,
    string Recipient,
    string? Provider,
    string? Code,
    string Reason,
    string? Status,
    bool Delay,
    string? Blocklist = null,
    string? Reply = null,
    long? BatchId = null,
    long? RawMessageId = null,
    bool AlsoBounce = false)
{
    /// <summary>
    /// A recipient failure: the address (or its domain) does not take mail, whoever sends: unknown user or host, mailbox full,
    /// moved or suspended, or an RFC 3463 address status 5.1.x. Never a refusal aimed at the sender (policy, reputation, content,
    /// a blocklist): those are not the list's fault and suppressing the address would lose a real recipient.
    /// </summary>
    public bool IsRecipientFailure => !Delay && Blocklist is null && !IpStatusRules.IsSenderCode(Provider, Code)
        && (BounceReasons.Recipient.Contains(Reason) || (Status is { } s && AddressStatuses.Contains(s) && !SenderReasons.Contains(Reason)));

    /// <summary>The address or its domain does not exist (unknown user, unknown host, 5.1.1/5.1.2/5.1.10).</summary>
    public bool IsUnknownUser => IsRecipientFailure && (Reason is BounceReasons.UserUnknown or BounceReasons.HostUnknown || Status is "5.1.1" or "5.1.2" or "5.1.10");

    /// <summary>RFC 3463 destination-address statuses (5.1.7 and 5.1.8 are about the sender's address, so not here); 5.1.10 is Microsoft's "recipient not found".</summary>
    private static readonly FrozenSet<string> AddressStatuses = new HashSet<string>(StringComparer.Ordinal) { "5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SenderReasons = new HashSet<string>(StringComparer.Ordinal)
    {
        BounceReasons.Blocked, BounceReasons.Rejected, BounceReasons.PolicyViolation, BounceReasons.SpamDetected, BounceReasons.BadReputation, BounceReasons.SecurityError, BounceReasons.AuthFailure, BounceReasons.RequirePtr,
    }.ToFrozenSet(StringComparer.Ordinal);
}

/// <summary>Log lines with status sent in one hour.</summary>
public sealed record LogDeliveryHour(DateTimeOffset Hour, int Sent);

/// <summary>A provider code seen <paramref name="Count"/> times; <paramref name="FromLog"/> when it came from MTA log hours.</summary>
public sealed record CodeSighting(string Provider, string Code, int Count, DateTimeOffset First, DateTimeOffset Last, bool FromLog, long? LatestBatchId)
{
    /// <summary>How many of <see cref="Count"/> were seen in MTA log lines (the rest only in bounces).</summary>
    public int InLogs { get; init; } = FromLog ? Count : 0;
}

public sealed record ReasonCount(string Reason, bool Delay, int Count, int Hard, DateTimeOffset Last, long? LatestBatchId);

public sealed record ComplaintSummary(int Count, DateTimeOffset? First, DateTimeOffset? Last, long? LatestBatchId);

public sealed record SndsDaySummary(DateOnly Day, string FilterResult, decimal? ComplaintRate, int TrapHits, int MessageRecipients);

public sealed record LogDay(DateOnly Day, int Attempts, int Sent, int Deferred, int Bounced);

public sealed record LoginHour(string User, DateTimeOffset Hour, int Succeeded);

/// <summary>
/// A latest check result as the rules read it. <paramref name="DynamicSign"/>: its stored evidence says the IP looks dynamic (a
/// generic PTR name, a listing in a dynamic range such as the Spamhaus PBL), read from the details, never from the summary.
/// </summary>
public sealed record CheckSighting(string Check, string Target, CheckStatus Status, string Summary, DateTimeOffset CheckedAt, int? Score = null, bool DynamicSign = false);

/// <summary>One day of block evidence from one provider: block bounces, Microsoft block log hours or an SNDS block.</summary>
public sealed record BlockSighting(string Provider, string Code, DateTimeOffset First, DateTimeOffset Last, int Count)
{
    /// <summary>Where the first of them was seen, and its reply text.</summary>
    public EvidenceSource FirstSource { get; init; } = EvidenceSource.Bounce;

    public string? FirstReply { get; init; }
}

/// <summary>Messages one reporter saw from the IP for one From domain, with DMARC, aligned DKIM and aligned SPF passes, and the days they span.</summary>
public sealed record DmarcReportSighting(string Reporter, string? HeaderFrom, long Messages, long DmarcPass, long DkimAlignedPass, long SpfAlignedPass,
    DateOnly First, DateOnly Last);

/// <summary>Messages carrying one DKIM signature (domain, selector) as one reporter evaluated it, and how many of them it failed for.</summary>
public sealed record DkimReportSighting(string Reporter, string? HeaderFrom, string? Domain, string? Selector, long Messages, long Failed);

public sealed record CaseSighting(string Target, bool Resolved, bool Unblocked, DateTimeOffset? ResolvedAt);
