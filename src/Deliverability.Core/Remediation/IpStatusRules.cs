using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Ips;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>The 24-hour and 7-day bounce counts of an IP, from its hourly bounce counts.</summary>
public sealed record BounceWindows(int Bounces24h, int Bounces7d, double? HardBounceRate, double? UnknownUserRate, DateTimeOffset? LastBounceAt);

/// <summary>From an IP's evidence to its status row (<see cref="IpStatusSnapshot"/>). Pure.</summary>
public static class IpStatusRules
{
    /// <summary>A block counts while its latest evidence is at most this many days old.</summary>
    public const int BlockedDays = 7;

    /// <summary>How far back block evidence is read, to find where the current episode began.</summary>
    public const int BlockHistoryDays = 90;

    /// <summary>Block evidence further apart than this starts a new episode.</summary>
    public const int EpisodeGapDays = 7;

    public static readonly IReadOnlyList<string> AuthenticationChecks =
        [SpfCheck.Name, DkimCheck.Name, DmarcCheck.Name, ReverseDnsCheck.PtrName, ReverseDnsCheck.FcrdnsName, ReverseDnsCheck.HeloName];

    /// <summary>
    /// Whether a provider code means the provider refuses the IP itself (S3150, SC-00x, DY-00x, OU-00x, 5.7.606-649, 5.7.511,
    /// Gmail 5.7.1/5.7.28, Yahoo TS03/TSS09/BL2x ...): permanent, "blocked" in the catalogue, and about the sender, not one recipient or message.
    /// </summary>
    public static bool IsBlockCode(string? provider, string? code) =>
        ProviderCodeCatalog.Find(provider, code) is { Temporary: false, Reason: "blocked" } known
        && known.Cause is not (ProviderCodeCause.RecipientPolicy or ProviderCodeCause.Content);

    public sealed record Block(string Provider, string Code, DateTimeOffset Since);

    /// <summary>
    /// The current block: the provider with the newest block evidence of the last <see cref="BlockedDays"/> days, ignoring evidence
    /// older than the provider's latest delisting case resolved as unblocked; since = where the episode began.
    /// </summary>
    public static Block? CurrentBlock(IpEvidence evidence)
    {
        DateTimeOffset? UnblockedAt(string provider) => evidence.Cases
            .Where(c => c.Unblocked && c.ResolvedAt is not null && string.Equals(c.Target, provider, StringComparison.OrdinalIgnoreCase))
            .Max(c => c.ResolvedAt);

        var active = evidence.Blocks.Where(b => UnblockedAt(b.Provider) is not { } cutoff || b.Last > cutoff).ToList();
        var latest = active.Where(b => b.Last >= evidence.Now.AddDays(-BlockedDays))
            .OrderByDescending(b => b.Last).ThenBy(b => b.Provider, StringComparer.Ordinal).FirstOrDefault();
        if (latest is null) return null;

        var cutoff = UnblockedAt(latest.Provider);
        var since = Start(latest);
        foreach (var earlier in active.Where(b => b.Provider == latest.Provider).OrderByDescending(b => b.Last))
        {
            if (earlier.Last >= since.AddDays(-EpisodeGapDays) && Start(earlier) < since) since = Start(earlier);
        }

        return new Block(latest.Provider, latest.Code, since);

        DateTimeOffset Start(BlockSighting b) => cutoff is { } c && b.First <= c ? b.Last : b.First;
    }

    /// <summary>Fills <paramref name="row"/> (new or tracked) from the evidence, the bounce windows and the open checklist items.</summary>
    public static void Apply(IpStatusSnapshot row, IpEvidence evidence, BounceWindows windows, int openItems)
    {
        var listings = evidence.Checks.Where(RemediationRules.IsListing).ToList();
        var listedOn = listings.Select(c => BlocklistCatalogue.Find(c.Check[BlocklistCheck.Prefix.Length..])?.Name ?? c.Check[BlocklistCheck.Prefix.Length..])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var authFailures = evidence.Checks.Where(c => c.Status == CheckStatus.Fail && AuthenticationChecks.Contains(c.Check, StringComparer.OrdinalIgnoreCase)).ToList();
        var block = CurrentBlock(evidence);

        var health = block is not null ? IpHealth.Blocked
            : listings.Count > 0 ? IpHealth.Listed
            : authFailures.Count > 0 ? IpHealth.AuthenticationProblems
            // Checks that all came back unknown (an untrusted resolver) say nothing: they do not make an IP healthy.
            : evidence.Checks.Any(c => c.Status != CheckStatus.Unknown) || evidence.HasAnyBounce ? IpHealth.Healthy
            : IpHealth.NoData;

        var caseOpenForBlock = block is not null && evidence.Cases.Any(c => !c.Resolved && string.Equals(c.Target, block.Provider, StringComparison.OrdinalIgnoreCase));
        row.SendingIpId = evidence.SendingIpId;
        row.Health = health;
        row.BlockedBy = block?.Provider;
        row.BlockCode = block?.Code;
        row.BlockedSince = block?.Since;
        row.Verdict = IpVerdict.Sentence(health, block?.Provider, block?.Code, block?.Since, listedOn,
            authFailures.Select(c => c.Check.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList());
        row.NextStep = IpVerdict.NextStep(health, block?.Provider, openItems, caseOpenForBlock, listedOn);
        row.ListedOn = listedOn.Count;
        row.AuthFailures = authFailures.Count;
        row.SenderScore = evidence.Checks.FirstOrDefault(c => c.Check == SenderScoreCheck.Name)?.Score;
        row.LastCheckedAt = evidence.LastCheckedAt;
        row.Bounces24h = windows.Bounces24h;
        row.Bounces7d = windows.Bounces7d;
        row.HardBounceRate = windows.HardBounceRate;
        row.UnknownUserRate = windows.UnknownUserRate;
        row.OpenItems = openItems;
        row.OpenCases = evidence.Cases.Count(c => !c.Resolved);
        row.LastBounceAt = windows.LastBounceAt;
        row.ComputedAt = evidence.Now;
    }
}
