using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Checks.Storage;

/// <summary>One list as the settings page shows it: the catalogue entry (or a configured custom zone) and whether it is queried.</summary>
public sealed record BlocklistChoice(BlocklistZone Zone, bool Enabled, bool EnabledByConfiguration, bool Overridden);

/// <summary>The stored settings that replace configuration for a run: the lists to query and the Spamhaus DQS key.</summary>
public sealed record StoredCheckSettings(IReadOnlyList<BlocklistChoice> Lists, string? SpamhausDqsKey)
{
    public IReadOnlyCollection<string> EnabledZones => Lists.Where(l => l.Enabled).Select(l => l.Zone.Zone).ToList();
}

/// <summary>
/// Merges configuration (Checks:Blocklists, or the catalogue defaults; Checks:SpamhausDqsKey) with what operators saved on
/// /settings/checks (table blocklist_settings: zone → enabled; checks_settings.protected_spamhaus_dqs_key, encrypted). Stored choices win.
/// </summary>
public sealed class BlocklistSelection(IOptions<ChecksOptions> options, SpamhausDqsKeys dqsKeys)
{
    public async Task<StoredCheckSettings> LoadAsync(DeliverabilityDbContext db, CancellationToken ct)
    {
        var overrides = await db.BlocklistSettings.AsNoTracking().ToDictionaryAsync(x => x.Zone, x => x.Enabled, StringComparer.OrdinalIgnoreCase, ct);
        var key = await dqsKeys.ReadAsync(db, ct);
        return new StoredCheckSettings(Merge(overrides), string.IsNullOrWhiteSpace(key) ? null : key.Trim());
    }

    /// <summary>
    /// Turns a list on or off from the next run. Choosing what configuration already says forgets the override, so a later
    /// change of configuration applies to that list again.
    /// </summary>
    public static async Task SetEnabledAsync(DeliverabilityDbContext db, BlocklistChoice choice, bool on, DateTimeOffset now, CancellationToken ct)
    {
        var setting = await db.BlocklistSettings.SingleOrDefaultAsync(x => x.Zone == choice.Zone.Zone, ct);
        if (on == choice.EnabledByConfiguration)
        {
            if (setting is not null) db.BlocklistSettings.Remove(setting);
        }
        else if (setting is null)
        {
            db.BlocklistSettings.Add(new BlocklistSetting { Zone = choice.Zone.Zone, Enabled = on, UpdatedAt = now });
        }
        else
        {
            setting.Enabled = on;
            setting.UpdatedAt = now;
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>The catalogue plus configured custom zones, each with its effective state.</summary>
    public IReadOnlyList<BlocklistChoice> Merge(IReadOnlyDictionary<string, bool> overrides)
    {
        var configured = options.Value.Blocklists.Select(z => z.Trim().TrimEnd('.')).Where(z => z.Length > 0).ToList();
        var byConfiguration = configured.Count > 0
            ? new HashSet<string>(configured, StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(BlocklistCatalogue.All.Where(z => z.EnabledByDefault).Select(z => z.Zone), StringComparer.OrdinalIgnoreCase);
        var zones = BlocklistCatalogue.All.ToList();
        zones.AddRange(configured.Where(z => BlocklistCatalogue.Find(z) is null)
            .Select(z => new BlocklistZone(z, z, "custom zone", [], "", "custom zone: any 127.0.0.x answer is read as listed")));
        return zones.Select(z =>
        {
            var configuredOn = byConfiguration.Contains(z.Zone);
            var overridden = overrides.TryGetValue(z.Zone, out var on);
            return new BlocklistChoice(z, overridden ? on : configuredOn, configuredOn, overridden);
        }).ToList();
    }
}
