using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Ips;
using Deliverability.Core.Providers;
using Deliverability.Core.Bounces;

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
        ProviderCodeCatalog.Find(provider, code) is { Temporary: false, Reason: BounceReasons.Blocked } known
        && known.Cause is not (ProviderCodeCause.RecipientPolicy or ProviderCodeCause.Content);

    /// <summary>
    /// Whether a provider code is about the sender (its IP, reputation, content, authentication, rate) rather than one recipient:
    /// such a refusal is never a recipient failure, whatever status it carries.
    /// </summary>
    public static bool IsSenderCode(string? provider, string? code) =>
        ProviderCodeCatalog.Find(provider, code) is { } known && known.Cause is not (ProviderCodeCause.RecipientPolicy or ProviderCodeCause.RecipientUnknown or ProviderCodeCause.ServerBusy or ProviderCodeCause.Tls);

    public sealed record Block(string Provider, string Code, DateTimeOffset Since)
    {
        /// <summary>The first block evidence of the episode: its code, where it was seen and what the provider replied.</summary>
        public string FirstCode { get; init; } = Code;

        public EvidenceSource FirstSource { get; init; } = EvidenceSource.Bounce;
        public string? FirstReply { get; init; }
    }

    /// <summary>
    /// The current block: the provider with the newest block evidence of the last <see cref="BlockedDays"/> days, ignoring evidence
    /// older than the provider's latest delisting case resolved as unblocked; since = where the episode began.
    /// </summary>
    public static Block? CurrentBlock(IpEvidence evidence, string? provider = null)
    {
        DateTimeOffset? UnblockedAt(string provider) => evidence.Cases
            .Where(c => c.Unblocked && c.ResolvedAt is not null && string.Equals(c.Target, provider, StringComparison.OrdinalIgnoreCase))
            .Max(c => c.ResolvedAt);

        var active = evidence.Blocks.Where(b => (provider is null || string.Equals(b.Provider, provider, StringComparison.OrdinalIgnoreCase))
            && (UnblockedAt(b.Provider) is not { } cutoff || b.Last > cutoff)).ToList();
        var latest = active.Where(b => b.Last >= evidence.Now.AddDays(-BlockedDays))
            .OrderByDescending(b => b.Last).ThenBy(b => b.Provider, StringComparer.Ordinal).FirstOrDefault();
        if (latest is null) return null;

        var cutoff = UnblockedAt(latest.Provider);
        var since = Start(latest);
        var first = latest;
        foreach (var earlier in active.Where(b => b.Provider == latest.Provider).OrderByDescending(b => b.Last))
        {
            if (earlier.Last >= since.AddDays(-EpisodeGapDays) && Start(earlier) < since)
            {
                since = Start(earlier);
                first = earlier;
            }
        }

        return new Block(latest.Provider, latest.Code, since) { FirstCode = first.Code, FirstSource = first.FirstSource, FirstReply = first.FirstReply };

        DateTimeOffset Start(BlockSighting b) => cutoff is { } c && b.First <= c ? b.Last : b.First;
    }

    /// <summary>
    /// The 24-hour and 7-day counts of refusals (bounce reports and refused log lines, one per message and recipient), the
    /// recipient-failure and unknown-user shares of the 7 days (of logged attempts when there are logs, else of the reports).
    /// </summary>
    public static BounceWindows Windows(IpEvidence evidence)
    {
        var now = evidence.Now;
        var finals = evidence.Refusals.Where(r => !r.Delay && r.At <= now).ToList();
        var week = finals.Where(r => r.At > now.AddDays(-7)).ToList();
        var day = week.Count(r => r.At > now.AddHours(-24));
        var weekDeliveries = evidence.LogDeliveries.Where(h => h.Hour.AddHours(1) > now.AddDays(-7) && h.Hour <= now).Sum(h => h.Sent);
        var weekReports = evidence.Refusals.Count(r => r.At > now.AddDays(-7) && r.At <= now);
        var denominator = evidence.HasLogs ? weekDeliveries + week.Count : weekReports;
        return new BounceWindows(day, week.Count,
            denominator == 0 ? null : (double)week.Count(r => r.IsRecipientFailure) / denominator,
            denominator == 0 ? null : (double)week.Count(r => r.IsUnknownUser) / denominator,
            finals.Count == 0 ? null : finals.Max(r => r.At));
    }

    /// <summary>Blocklists the IP is on: failing list checks of the latest run, and lists named by recent refusals (<see cref="BlocklistCauses.BlocklistRefusals"/>).</summary>
    public static IReadOnlyList<string> ListedOn(IpEvidence evidence) =>
        evidence.Checks.Where(RemediationRules.IsListing).Select(c => c.Check[BlocklistCheck.Prefix.Length..])
            .Concat(BlocklistCauses.BlocklistRefusals(evidence).Select(m => m.Zone))
            .Select(zone => zone == BlocklistMention.Unnamed ? "a blocklist the refusals do not name" : BlocklistCatalogue.Find(zone)?.Name ?? zone)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Fills <paramref name="row"/> (new or tracked) from the evidence, the causes it shows and the open checklist items.</summary>
    public static void Apply(IpStatusSnapshot row, IpEvidence evidence, IReadOnlyList<PlannedItem> planned, int openItems)
    {
        var windows = Windows(evidence);
        var listedOn = ListedOn(evidence);
        var authFailures = evidence.Checks.Where(c => c.Status == CheckStatus.Fail && AuthenticationChecks.Contains(c.Check, StringComparer.OrdinalIgnoreCase)).ToList();
        var block = CurrentBlock(evidence);
        var throttle = Throttle(evidence);

        // Healthy needs evidence of health: a check run, or MTA log lines (deliveries the IP made). An IP known only from
        // reports (an address named in old bounces, or complaints) is "seen", not healthy; one with causes needs attention.
        var health = block is not null ? IpHealth.Blocked
            : listedOn.Count > 0 ? IpHealth.Listed
            : authFailures.Count > 0 ? IpHealth.AuthenticationProblems
            : planned.Count > 0 || throttle is not null ? IpHealth.AtRisk
            // Checks that all came back unknown (an untrusted resolver) say nothing: they do not make an IP healthy.
            : evidence.Checks.Any(c => c.Status != CheckStatus.Unknown) || evidence.HasLogs ? IpHealth.Healthy
            : evidence.HasAnyBounce || evidence.Complaints.Count > 0 || evidence.SndsDays.Count > 0 ? IpHealth.SeenInBounces
            : IpHealth.NoData;

        var caseOpenForBlock = block is not null && evidence.Cases.Any(c => !c.Resolved && string.Equals(c.Target, block.Provider, StringComparison.OrdinalIgnoreCase));
        row.SendingIpId = evidence.SendingIpId;
        row.Health = health;
        row.BlockedBy = block?.Provider;
        row.BlockCode = block?.Code;
        row.BlockedSince = block?.Since;
        row.Verdict = health switch
        {
            IpHealth.AtRisk => IpVerdict.AtRisk(throttle, planned.Select(p => p.Title).ToList()),
            IpHealth.SeenInBounces => IpVerdict.Seen(evidence.Refusals.Count(r => !r.Delay), evidence.Complaints.Count),
            _ => IpVerdict.Sentence(health, block?.Provider, block?.Code, block?.Since, listedOn,
                authFailures.Select(c => c.Check.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList(), block?.FirstCode),
        };
        row.NextStep = IpVerdict.NextStep(health, block?.Provider, openItems, caseOpenForBlock, listedOn, evidence.HasLogs, evidence.Checks.Count > 0);
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

    public sealed record Throttling(string Provider, string Code, DateTimeOffset Since);

    /// <summary>
    /// A provider deferring the IP for its reputation or rate in the last <see cref="BlockedDays"/> days (Outlook.com 4.7.650, RP-00x,
    /// Gmail 4.7.28, Yahoo TSS04 ...): the newest such code, and the first time it was seen in those days.
    /// </summary>
    public static Throttling? Throttle(IpEvidence evidence)
    {
        var from = evidence.Now.AddDays(-BlockedDays);
        var throttled = evidence.Refusals.Where(r => r.At >= from && r.At <= evidence.Now && ProviderCodeCatalog.Find(r.Provider, r.Code) is
            { Temporary: true, Cause: ProviderCodeCause.Reputation or ProviderCodeCause.RateLimit or ProviderCodeCause.ConnectionLimit }).ToList();
        if (throttled.Count == 0) return null;
        var newest = throttled.MaxBy(r => r.At)!;
        return new Throttling(newest.Provider!, newest.Code!, throttled.Where(r => r.Provider == newest.Provider).Min(r => r.At));
    }
}
