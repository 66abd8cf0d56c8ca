using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>What a user typed for an IP's checks: domains and DKIM selectors one per line, the HELO name, on or off.</summary>
public sealed record CheckSettingsInput(string? Domains, string? DkimSelectors, string? HeloName, bool Enabled);

/// <summary>Why the settings were not saved, per field (null: that field is fine); <see cref="Saved"/> when all are.</summary>
public sealed record CheckSettingsResult(bool Saved, string? DomainsError = null, string? DkimError = null, string? HeloError = null);

/// <summary>Changes which domains, DKIM selectors and HELO name an IP's checks look at, after checking each is well formed.</summary>
public sealed class SendingIpCheckSettings(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    /// <summary>The IP's settings as the form edits them (one domain or selector a line); null when there is no such IP.</summary>
    public async Task<CheckSettingsInput?> LoadAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ip = await db.SendingIps.AsNoTracking().Where(x => x.Id == sendingIpId)
            .Select(x => new { x.Domains, x.DkimSelectors, x.HeloName, x.ChecksEnabled }).SingleOrDefaultAsync(ct);
        return ip is null ? null : new CheckSettingsInput(string.Join('\n', ip.Domains), string.Join('\n', ip.DkimSelectors), ip.HeloName, ip.ChecksEnabled);
    }

    public async Task<CheckSettingsResult> SaveAsync(long sendingIpId, CheckSettingsInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var domains = SendingIpCheckConfig.NormaliseDomains(SendingIpCheckConfig.Split(input.Domains ?? ""));
        var badDomain = domains.FirstOrDefault(d => !SendingIpCheckConfig.IsHostName(d));
        var domainsError = badDomain is null ? null : $"'{badDomain}' is not a domain name.";

        var selectors = new List<string>();
        string? dkimError = null;
        foreach (var value in SendingIpCheckConfig.Split(input.DkimSelectors ?? ""))
        {
            if (!SendingIpCheckConfig.TryParseSelector(value, out var selector, out var error))
            {
                dkimError = error;
                break;
            }

            var text = $"{selector.Domain}:{selector.Selector}";
            if (!selectors.Contains(text)) selectors.Add(text);
        }

        var helo = string.IsNullOrWhiteSpace(input.HeloName) ? null : input.HeloName.Trim().TrimEnd('.').ToLowerInvariant();
        var heloError = helo is null || SendingIpCheckConfig.IsHostName(helo) ? null : $"'{helo}' is not a host name.";
        if (domainsError is not null || dkimError is not null || heloError is not null)
        {
            return new CheckSettingsResult(false, domainsError, dkimError, heloError);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.SendingIps.Where(x => x.Id == sendingIpId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Domains, domains)
            .SetProperty(x => x.DkimSelectors, selectors)
            .SetProperty(x => x.HeloName, helo)
            .SetProperty(x => x.ChecksEnabled, input.Enabled), ct);
        return new CheckSettingsResult(true);
    }
}
