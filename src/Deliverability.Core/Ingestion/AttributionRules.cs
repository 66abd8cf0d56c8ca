using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ingestion;

/// <summary>A rule as the settings page lists it.</summary>
public sealed record AttributionRuleRow(long Id, SendingIpRuleKind Kind, string Pattern, string? Instance, string Ip, DateTimeOffset CreatedAt);

/// <summary>The answer to <see cref="AttributionRules.AddAsync"/>: the rule's normalised pattern, or why it was refused.</summary>
public sealed record AddRuleResult(bool Added, string? Pattern, string? Error, int LinesMoved);

/// <summary>
/// The operator's attribution rules (reporting MTA, sender domain or log host → sending IP). Adding or deleting one moves the
/// stored log lines it now covers and diagnoses the IPs they moved between; bounces follow at the next re-parse.
/// </summary>
public sealed class AttributionRules(DeliverabilityDbContext db, MtaLogAttribution attribution, TimeProvider clock)
{
    public async Task<List<AttributionRuleRow>> ListAsync(CancellationToken ct)
    {
        var rows = await db.SendingIpRules.AsNoTracking()
            .OrderBy(r => r.Kind).ThenBy(r => r.Pattern).ThenBy(r => r.Instance)
            .Select(r => new { r.Id, r.Kind, r.Pattern, r.Instance, r.SendingIp!.Address, r.CreatedAt })
            .ToListAsync(ct);
        return rows.Select(r => new AttributionRuleRow(r.Id, r.Kind, r.Pattern, r.Instance, r.Address.ToString(), r.CreatedAt)).ToList();
    }

    public async Task<AddRuleResult> AddAsync(SendingIpRuleKind kind, string? pattern, string? instance, long sendingIpId, CancellationToken ct)
    {
        if (!RulePattern.TryNormalise(kind, pattern, instance, out var normalised, out var normalisedInstance, out var error))
        {
            return new AddRuleResult(false, null, error, 0);
        }

        if (!await db.SendingIps.AnyAsync(x => x.Id == sendingIpId, ct))
        {
            return new AddRuleResult(false, null, "Choose a tracked sending IP for the rule.", 0);
        }

        if (await db.SendingIpRules.AnyAsync(r => r.Kind == kind && r.Pattern == normalised && r.Instance == normalisedInstance, ct))
        {
            return new AddRuleResult(false, null,
                $"There is already a {RulePattern.Describe(kind).ToLowerInvariant()} rule for {normalised}{(normalisedInstance is null ? "" : $" ({normalisedInstance})")}: delete it first to change its IP.", 0);
        }

        db.SendingIpRules.Add(new SendingIpRule { Kind = kind, Pattern = normalised, Instance = normalisedInstance, SendingIpId = sendingIpId, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        var moved = await attribution.ReattributeAsync(ct);
        return new AddRuleResult(true, normalised, null, moved.LinesMoved);
    }

    /// <summary>Deletes the rule; the log lines it attributed follow the remaining rules. Returns how many lines moved.</summary>
    public async Task<int> DeleteAsync(long ruleId, CancellationToken ct)
    {
        if (await db.SendingIpRules.Where(r => r.Id == ruleId).ExecuteDeleteAsync(ct) == 0) return 0;
        return (await attribution.ReattributeAsync(ct)).LinesMoved;
    }
}
