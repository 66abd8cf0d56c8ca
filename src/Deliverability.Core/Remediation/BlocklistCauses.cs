using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>Causes of the blocklist family: a list that has the IP (by its check or named by refusals), and the provider's own block.</summary>
public static class BlocklistCauses
{
    public sealed record BlocklistRefusal(string Zone, int Count, DateTimeOffset First, DateTimeOffset Last, string? Href);

    /// <summary>
    /// Blocklists named by refusals of the last <see cref="IpStatusRules.BlockedDays"/> days, unless that list's latest check passed
    /// after the newest such refusal (the listing is over).
    /// </summary>
    public static IReadOnlyList<BlocklistRefusal> BlocklistRefusals(IpEvidence evidence) =>
        evidence.Refusals.Where(r => r.Blocklist is not null && r.At >= evidence.Now.AddDays(-IpStatusRules.BlockedDays) && r.At <= evidence.Now)
            .GroupBy(r => r.Blocklist!, StringComparer.OrdinalIgnoreCase)
            .Select(g => new BlocklistRefusal(g.Key, g.Count(), g.Min(r => r.At), g.Max(r => r.At),
                g.Where(r => r.BatchId is not null).MaxBy(r => r.At)?.BatchId is { } b ? $"/uploads/{b}" : null))
            .Where(m => !evidence.Checks.Any(c => string.Equals(c.Check, BlocklistCheck.Prefix + m.Zone, StringComparison.OrdinalIgnoreCase)
                && c.Status == CheckStatus.Pass && c.CheckedAt > m.Last))
            .OrderBy(m => m.Zone, StringComparer.Ordinal)
            .ToList();

    internal static void Add(List<PlannedItem> items, CauseContext context)
    {
        var evidence = context.Evidence;

        // One item per list that lists the IP, verified by that list's check.
        foreach (var check in evidence.Checks.Where(RemediationRules.IsListing).OrderBy(c => c.Check, StringComparer.Ordinal))
        {
            var zone = BlocklistCatalogue.Find(check.Check[BlocklistCheck.Prefix.Length..]);
            var name = zone?.Name ?? check.Check[BlocklistCheck.Prefix.Length..];
            var removal = zone is { RemovalUrl.Length: > 0 } ? zone.RemovalUrl : null;
            var list = new List<RemediationEvidence> { new(check.Summary, context.Link(RemediationRules.ChecksLink), check.CheckedAt) };
            if (removal is not null) list.Add(new($"Removal: {removal}", removal));
            items.Add(new(check.Check, RemediationCause.Blocklisted, $"Get off {name}",
                $"Fix what got the IP listed (see the other items), then request removal from {name}" +
                (removal is null ? "." : $" at {removal}.") + (zone is null ? "" : $" {zone.QueryTerms}"),
                RemediationVerification.Check, $"The {check.Check} check passes (the IP is no longer listed).", list, 10));
        }

        // Blocklists named by the refusals themselves ("blocked using zen.spamhaus.org"): listing evidence before any DNS check.
        foreach (var mention in BlocklistRefusals(evidence))
        {
            var key = BlocklistCheck.Prefix + mention.Zone;
            var text = $"{CauseContext.Count(mention.Count, "refusal")} name {(mention.Zone == BlocklistMention.Unnamed ? "a blocklist without saying which" : mention.Zone)}" +
                $" (first {IpVerdict.FormatTime(mention.First)}, last {IpVerdict.FormatTime(mention.Last)})";
            var proof = new RemediationEvidence(text, mention.Href ?? context.Link(RemediationRules.BouncesLink), mention.Last);
            if (items.FirstOrDefault(i => i.Key == key) is { } existing)
            {
                items[items.IndexOf(existing)] = existing with { Evidence = [.. existing.Evidence, proof] };
                continue;
            }

            var zone = BlocklistCatalogue.Find(mention.Zone);
            var name = zone?.Name ?? mention.Zone;
            var removal = zone is { RemovalUrl.Length: > 0 } ? zone.RemovalUrl : null;
            var list = new List<RemediationEvidence> { proof };
            if (removal is not null) list.Add(new($"Removal: {removal}", removal));
            items.Add(zone is null
                ? new(key, RemediationCause.Blocklisted, "Find the blocklist receivers refuse the IP for",
                    "Receivers refuse the IP as blocklisted without naming the list: run the checks (Check now) to see which lists have it, fix what got it listed, then request removal there.",
                    RemediationVerification.Manual, "Ticked by an operator once the IP is off the list.", list, 10)
                : new(key, RemediationCause.Blocklisted, $"Get off {name}",
                    $"Receivers refuse the IP because it is on {name}. Fix what got it listed (see the other items), then request removal" +
                    (removal is null ? "." : $" at {removal}.") + $" {zone.QueryTerms}",
                    RemediationVerification.Check, $"The {key} check passes (the IP is no longer listed).", list, 10));
        }

        // The provider's own block on the IP (S3150, Gmail 5.7.1 ...): a reputation block is its own cause, never a bounce-rate problem.
        if (IpStatusRules.CurrentBlock(evidence) is { } block && ProviderCodeCatalog.Find(block.Provider, block.Code) is { Cause: ProviderCodeCause.Blocklist or ProviderCodeCause.Reputation } blockCode)
        {
            var provider = IpVerdict.ProviderName(block.Provider);
            var sightings = context.Codes.Where(c => c.Sighting.Provider == block.Provider && IpStatusRules.IsBlockCode(c.Sighting.Provider, c.Sighting.Code))
                .OrderByDescending(c => c.Sighting.Last).Select(context.CodeEvidence).ToList();
            sightings.Insert(0, new($"First block {IpVerdict.FormatTime(block.Since)} ({block.FirstCode}, {(block.FirstSource == EvidenceSource.LogLine ? "log line" : "bounce")})",
                context.Link(block.FirstSource == EvidenceSource.LogLine ? RemediationRules.ActivityLink : RemediationRules.BouncesLink), block.Since));
            items.Add(new($"provider-block:{block.Provider}", RemediationCause.ProviderBlock, $"Find why {provider} blocks the IP",
                $"{provider} refuses the IP itself ({block.Code}): {blockCode.Meaning} Look at what the IP sent in the 24-48 hours before the first block " +
                "(login spikes, a new campaign or list, a volume jump, complaints), fix that first, then ask for delisting; the other items list what the evidence shows.",
                RemediationVerification.Manual, "Ticked by an operator once the cause is found and fixed.", sightings, 15));
        }
    }
}
