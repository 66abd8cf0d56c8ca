using System.Text.Json.Nodes;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Delisting;

/// <summary>What the evidence says about the block a case is opened for: its first time and codes (blocklist check or provider bounces).</summary>
internal static class DelistingBlockFacts
{
    /// <summary>Fills the case's first block time and codes; returns the note of the first step.</summary>
    public static async Task<string?> PrefillAsync(DeliverabilityDbContext db, DelistingCase delistingCase, DateTimeOffset now, CancellationToken ct)
    {
        if (DelistingProcesses.IsBlocklist(delistingCase.Target))
        {
            var check = (await LatestCheckResults.ReadAsync(db, delistingCase.SendingIpId, ct)).Results.FirstOrDefault(c => c.Check == delistingCase.Target);
            if (check is null)
            {
                return "The list has not been checked for this IP yet.";
            }

            var answers = JsonNode.Parse(check.Details)?["readings"] is JsonArray readings
                ? string.Join(", ", readings.Select(r => r?["answer"]?.GetValue<string>()).OfType<string>())
                : "";
            delistingCase.BlockCodes = answers.Length == 0 ? null : answers;
            delistingCase.FirstBlockAt = check.Status is CheckStatus.Fail or CheckStatus.Warn ? check.CheckedAt : null;
            return check.Summary;
        }

        var codes = await BlockBounceCodesAsync(db, delistingCase.SendingIpId, delistingCase.Target, ct);
        // The first block is the IP status's: the earliest block evidence of the episode, log lines and bounces alike.
        var first = await Remediation.IpEvidenceReader.FirstBlockAsync(db, delistingCase.SendingIpId, delistingCase.Target, now, ct);
        if (first is not null)
        {
            delistingCase.FirstBlockAt = first.Since;
            delistingCase.BlockCodes = first.Code == first.FirstCode ? first.Code : $"{first.FirstCode}, {first.Code}";
            var seen = first.FirstSource == Remediation.EvidenceSource.LogLine ? "log line" : "bounce";
            return $"First block {DelistingRequestText.Format(first.Since)} ({first.FirstCode}, {seen})" +
                (codes.Count == 0 ? "" : "; bounces: " + string.Join(", ", codes.OrderBy(c => c.First).Select(c => $"{c.Code ?? "no code"} ({c.Count} bounce{(c.Count == 1 ? "" : "s")})")));
        }

        if (codes.Count == 0)
        {
            return "No block bounce from this provider for the IP yet: upload the bounces you got back.";
        }

        delistingCase.FirstBlockAt = codes[0].First;
        delistingCase.BlockCodes = string.Join(", ", codes.Select(c => c.Code ?? "no code"));
        return $"First block {DelistingRequestText.Format(codes[0].First)}; codes "
            + string.Join(", ", codes.Select(c => $"{c.Code ?? "no code"} ({c.Count} bounce{(c.Count == 1 ? "" : "s")})"));
    }

    private sealed record BlockCode(string? Code, int Count, DateTimeOffset First);

    /// <summary>The provider's block codes in the IP's bounces, earliest first (the first block itself comes from the evidence reader).</summary>
    private static async Task<List<BlockCode>> BlockBounceCodesAsync(DeliverabilityDbContext db, long sendingIpId, string target, CancellationToken ct)
    {
        var codes = await BlockBounces(db, sendingIpId, target).GroupBy(b => b.ProviderCode ?? b.Status)
            .Select(g => new { Code = g.Key, Count = g.Count(), First = g.Min(b => b.OccurredAt) })
            .ToListAsync(ct);
        return codes.OrderBy(c => c.First).Select(c => new BlockCode(c.Code, c.Count, c.First)).ToList();
    }

    public static IQueryable<Ingestion.Bounce> BlockBounces(DeliverabilityDbContext db, long sendingIpId, string target) =>
        db.Bounces.AsNoTracking().Where(b => b.SendingIpId == sendingIpId && b.Provider == target && b.Kind == BounceKind.Bounce
            && (b.Reason == BounceReasons.Blocked || b.ProviderCode != null));
}
