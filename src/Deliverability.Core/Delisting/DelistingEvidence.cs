using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;

namespace Deliverability.Core.Delisting;

/// <summary>A latest check result as a case step shows it.</summary>
public sealed record DelistingCheckLine(string Check, string Target, CheckStatus Status, string Summary, DateTimeOffset CheckedAt);

/// <summary>An open item of the IP's remediation checklist.</summary>
public sealed record OpenRemediationItem(string Title, string Action);

/// <summary>
/// What a case's page, its steps and its request text may say about the IP: the remediation checklist and the latest check
/// run (<see cref="Checks.Storage.LatestCheckResults"/>), SNDS data. Read once per page load; every claim is judged from it.
/// </summary>
public sealed record DelistingEvidence(
    IReadOnlyList<OpenRemediationItem> OpenItems,
    IReadOnlyList<string> Fixes,
    DateTimeOffset? ChecksRunAt,
    IReadOnlyList<DelistingCheckLine> AuthenticationChecks,
    DelistingCheckLine? SenderScoreCheck,
    int? SenderScore,
    DelistingCheckLine? ListCheck,
    int SndsDays)
{
    public static readonly DelistingEvidence None = new([], [], null, [], null, null, null, 0);

    /// <summary>Whether the checklist is known to be clear: no open item, and the checks the checklist is built from have run.</summary>
    public bool ChecklistClear => OpenItems.Count == 0 && ChecksRunAt is not null;
}

/// <summary>How the evidence stands on a step's claim.</summary>
public enum ClaimState
{
    /// <summary>The evidence confirms it.</summary>
    Verified,

    /// <summary>The evidence says otherwise (a check fails, the score is 85 or less).</summary>
    Contradicted,

    /// <summary>There is no evidence either way (never checked, no score, lookup failed): not verified.</summary>
    Unknown,
}

/// <summary>A step's claim judged against the evidence; <paramref name="Evidence"/> says what was seen, in words for the user and the reviewer.</summary>
public sealed record DelistingClaim(DelistingStepKind Kind, ClaimState State, string Evidence)
{
    public bool IsVerified => State == ClaimState.Verified;
}

/// <summary>
/// The steps that assert a fact, and whether the evidence agrees. A step completes only on a verified claim, or by an
/// explicit override (who, when, why).
/// </summary>
public static class DelistingClaims
{
    /// <summary>The checks the authentication step names, in the order shown; FCrDNS is judged when it was run.</summary>
    private static readonly string[] AuthenticationChecks =
        [SpfCheck.Name, DkimCheck.Name, DmarcCheck.Name, ReverseDnsCheck.PtrName, ReverseDnsCheck.FcrdnsName];

    public static bool IsAuthenticationCheck(string check) => AuthenticationChecks.Contains(check);

    public static int AuthenticationOrder(string check) => Array.IndexOf(AuthenticationChecks, check);

    /// <summary>Each must have at least one result for "SPF, DKIM, DMARC and PTR pass" to be verified.</summary>
    private static readonly string[] RequiredAuthenticationChecks = [SpfCheck.Name, DkimCheck.Name, DmarcCheck.Name, ReverseDnsCheck.PtrName];

    public static bool IsClaim(DelistingStepKind kind) =>
        kind is DelistingStepKind.SenderScore or DelistingStepKind.Authentication or DelistingStepKind.SndsRegistration or DelistingStepKind.ConfirmDelisting;

    /// <summary>The claim of a step kind judged against the evidence, or null when the kind asserts nothing.</summary>
    public static DelistingClaim? Judge(DelistingStepKind kind, DelistingEvidence evidence) => kind switch
    {
        DelistingStepKind.SenderScore => SenderScore(evidence),
        DelistingStepKind.Authentication => Authentication(evidence),
        DelistingStepKind.SndsRegistration => Snds(evidence),
        DelistingStepKind.ConfirmDelisting => ListRemoval(evidence),
        _ => null,
    };

    private static DelistingClaim SenderScore(DelistingEvidence evidence)
    {
        const DelistingStepKind kind = DelistingStepKind.SenderScore;
        if (evidence.SenderScoreCheck is not { } check)
        {
            return new(kind, ClaimState.Unknown, evidence.ChecksRunAt is null ? "Sender Score unknown: the IP has not been checked." : "Sender Score unknown: the latest checks have no Sender Score result.");
        }

        var at = DelistingRequestText.Format(check.CheckedAt);
        return evidence.SenderScore switch
        {
            null => new(kind, ClaimState.Unknown, $"Sender Score unknown; the latest check says: {check.Summary.TrimEnd('.')} (checked {at})."),
            > Checks.SenderScoreCheck.HealthyAbove and var score => new(kind, ClaimState.Verified, $"Sender Score {score}/100 (checked {at})."),
            var score => new(kind, ClaimState.Contradicted, $"Sender Score {score}/100, not above {Checks.SenderScoreCheck.HealthyAbove} (checked {at})."),
        };
    }

    private static DelistingClaim Authentication(DelistingEvidence evidence)
    {
        const DelistingStepKind kind = DelistingStepKind.Authentication;
        var results = evidence.AuthenticationChecks;
        if (evidence.ChecksRunAt is not { } runAt)
        {
            return new(kind, ClaimState.Unknown, "SPF, DKIM, DMARC and PTR unknown: the IP has not been checked.");
        }

        var at = DelistingRequestText.Format(runAt);
        var notPassing = results.Where(c => c.Status is CheckStatus.Fail or CheckStatus.Warn).Select(Name).ToList();
        var unknown = results.Where(c => c.Status == CheckStatus.Unknown).Select(Name).ToList();
        var missing = RequiredAuthenticationChecks.Where(name => results.All(c => c.Check != name)).Select(name => name.ToUpperInvariant()).ToList();
        var passing = results.Count(c => c.Status == CheckStatus.Pass);
        var counted = $"{passing} of {results.Count} checks pass";
        if (notPassing.Count > 0)
        {
            return new(kind, ClaimState.Contradicted, $"{counted}; not passing: {string.Join(", ", notPassing)} (checked {at}).");
        }

        if (unknown.Count > 0 || missing.Count > 0)
        {
            var gaps = unknown.Select(u => $"{u} unknown").Concat(missing.Select(m => $"no {m} result"));
            return new(kind, ClaimState.Unknown, $"{counted}; not verified: {string.Join(", ", gaps)} (checked {at}).");
        }

        return new(kind, ClaimState.Verified, $"All {results.Count} checks pass (checked {at}).");
    }

    private static DelistingClaim Snds(DelistingEvidence evidence) => evidence.SndsDays > 0
        ? new(DelistingStepKind.SndsRegistration, ClaimState.Verified, $"SNDS data for this IP is imported ({evidence.SndsDays} day{(evidence.SndsDays == 1 ? "" : "s")}).")
        : new(DelistingStepKind.SndsRegistration, ClaimState.Unknown, "No SNDS data for this IP has been imported, so the registration is not confirmed.");

    private static DelistingClaim ListRemoval(DelistingEvidence evidence) => evidence.ListCheck switch
    {
        null => new(DelistingStepKind.ConfirmDelisting, ClaimState.Unknown, "The list has not been checked for this IP: run the checks (Check now) first."),
        { Status: CheckStatus.Pass } check => new(DelistingStepKind.ConfirmDelisting, ClaimState.Verified, $"check passed {DelistingRequestText.Format(check.CheckedAt)}"),
        { Status: CheckStatus.Unknown } check => new(DelistingStepKind.ConfirmDelisting, ClaimState.Unknown, $"The list's latest check gave no answer ({check.Summary})."),
        var check => new(DelistingStepKind.ConfirmDelisting, ClaimState.Contradicted, $"The list's latest check does not pass ({check.Summary}). Run the checks again once the list has removed the IP."),
    };

    private static string Name(DelistingCheckLine check) => $"{check.Check} {check.Target}";
}
