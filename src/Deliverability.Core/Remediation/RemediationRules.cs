using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;

namespace Deliverability.Core.Remediation;

/// <summary>A checklist item as the rules want it; <see cref="ChecklistUpdate"/> turns it into a stored <see cref="RemediationItem"/>.</summary>
public sealed record PlannedItem(
    string Key,
    RemediationCause Cause,
    string Title,
    string Action,
    RemediationVerification Verification,
    string VerifiedBy,
    IReadOnlyList<RemediationEvidence> Evidence,
    int Position);

/// <summary>
/// The diagnosis rules: from an IP's evidence to the causes it shows, as checklist items. Pure (no I/O, no clock but
/// <see cref="IpEvidence.Now"/>). Thresholds are constants here and are explained in docs/diagnosis.md.
/// </summary>
public static class RemediationRules
{
    /// <summary>Bounces, complaints, SNDS days and log hours older than this are not evidence any more.</summary>
    public const int EvidenceDays = 30;

    /// <summary>Spam complaints: this many feedback-loop complaints in the window raise the item on their own.</summary>
    public const int ComplaintCount = 5;

    /// <summary>Spam complaints: complaints per delivered message (logs) or SNDS complaint rate above this (0.3 %).</summary>
    public const decimal ComplaintRate = 0.003m;

    /// <summary>New IP: first activity less than this many days ago.</summary>
    public const int YoungIpDays = 30;

    /// <summary>New IP: fewer log attempts than this in the window also counts as "no history".</summary>
    public const int LowVolumeAttempts = 1000;

    /// <summary>Bounce rates are computed against log attempts only from this many attempts up.</summary>
    public const int MinimumAttempts = 100;

    /// <summary>High bounce rate: hard bounces (or logged bounces) above this share of attempts (10 %).</summary>
    public const double HardBounceShare = 0.10;

    /// <summary>High bounce rate without logs: at least this many hard-bounce reports, and above <see cref="HardBounceShare"/> of reports.</summary>
    public const int HardBounceReportsWithoutLogs = 20;

    /// <summary>Unknown users: above this share of attempts (2 %), or without logs at least <see cref="UnknownUserReportsWithoutLogs"/> reports.</summary>
    public const double UnknownUserShare = 0.02;

    public const int UnknownUserReportsWithoutLogs = 20;

    /// <summary>Sudden volume change: a day with more than this factor of the previous 7 days' average attempts...</summary>
    public const double VolumeJumpFactor = 3.0;

    /// <summary>...and at least this many attempts that day (small numbers jump easily).</summary>
    public const int VolumeJumpMinimumAttempts = 500;

    /// <summary>Login spike: an hour with more than this factor of the user's median hourly logins...</summary>
    public const double LoginSpikeFactor = 5.0;

    /// <summary>...and more than this many logins.</summary>
    public const int LoginSpikeMinimum = 20;

    /// <summary>Receivers' reports: a reporter's share of a From domain's mail from the IP failing DMARC or aligned DKIM above this (5 %)...</summary>
    public const double ReportedFailureShare = 0.05;

    /// <summary>...among at least this many messages it reported (small numbers swing easily).</summary>
    public const int ReportedMinimumMessages = 10;

    public const string BouncesLink = "#bounces";
    public const string ReportsLink = "#dmarc-reports";
    public const string ChecksLink = "#checks";
    public const string ActivityLink = "#activity";

    /// <summary>The checks that verify an item, by the item's key; empty for manual items.</summary>
    public static IReadOnlyList<string> VerifyingChecks(string key) => key switch
    {
        "spf" => [SpfCheck.Name],
        "dkim" => [DkimCheck.Name],
        "dmarc" => [DmarcCheck.Name],
        "ptr" => [ReverseDnsCheck.PtrName, ReverseDnsCheck.FcrdnsName, ReverseDnsCheck.HeloName],
        _ when key.StartsWith(BlocklistCheck.Prefix, StringComparison.Ordinal) => [key],
        _ => [],
    };

    /// <summary>
    /// What the latest checks say about a check-verified item: false when one of its checks fails, true when all of them ran and
    /// none fails (a warning is not a failure), null when they did not run or could not tell (the item keeps its state).
    /// </summary>
    public static (bool? Passing, DateTimeOffset? At) CheckVerdict(string key, IReadOnlyList<CheckSighting> checks)
    {
        var names = VerifyingChecks(key);
        var relevant = checks.Where(c => names.Contains(c.Check, StringComparer.OrdinalIgnoreCase)).ToList();
        if (relevant.Count == 0) return (null, null);
        if (relevant.Any(c => c.Status == CheckStatus.Fail)) return (false, relevant.Max(c => c.CheckedAt));
        if (relevant.Any(c => c.Status == CheckStatus.Unknown)) return (null, null);
        return (true, relevant.Max(c => c.CheckedAt));
    }

    /// <summary>
    /// Whether the latest checks of a check-verified item could not tell: one of them is Unknown (a failed lookup, an untrusted
    /// resolver or list) and none fails. Such an item is neither ticked nor taken for gone.
    /// </summary>
    public static bool CheckUndecided(string key, IReadOnlyList<CheckSighting> checks)
    {
        var names = VerifyingChecks(key);
        var relevant = checks.Where(c => names.Contains(c.Check, StringComparer.OrdinalIgnoreCase)).ToList();
        return relevant.Any(c => c.Status == CheckStatus.Unknown) && relevant.All(c => c.Status != CheckStatus.Fail);
    }

    /// <summary>The items the evidence calls for, most urgent first (by cause family, in the order of their positions).</summary>
    public static IReadOnlyList<PlannedItem> Plan(IpEvidence evidence)
    {
        var items = new List<PlannedItem>();
        var context = new CauseContext(evidence);
        BlocklistCauses.Add(items, context);
        AbuseCauses.Add(items, context);
        IdentityCauses.Add(items, context);
        RecipientCauses.Add(items, context);
        VolumeCauses.Add(items, context);
        ReportCauses.Add(items, context);
        return items;
    }

    /// <summary>Whether a check result is a blocklist listing (a failing list check; reputation zones and warnings do not count).</summary>
    public static bool IsListing(CheckSighting check) =>
        check.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase) && check.Status == CheckStatus.Fail
        && BlocklistCatalogue.Find(check.Check[BlocklistCheck.Prefix.Length..]) is not { IsReputation: true };
}
