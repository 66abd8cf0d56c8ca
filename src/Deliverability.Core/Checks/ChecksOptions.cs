namespace Deliverability.Core.Checks;

/// <summary>What the IP checks query and how hard (configuration section "Checks").</summary>
public sealed class ChecksOptions
{
    public const string Section = "Checks";

    /// <summary>Checks (each a few DNS queries) run at once across all IPs being checked.</summary>
    public int MaxConcurrentChecks { get; set; } = 256;

    /// <summary>Blocklist zones to query; empty means every catalogue zone that is on by default.</summary>
    public IList<string> Blocklists { get; } = [];

    /// <summary>Spamhaus Data Query Service key: ZEN is then queried as &lt;ip&gt;.&lt;key&gt;.zen.dq.spamhaus.net.</summary>
    public string? SpamhausDqsKey { get; set; }

    /// <summary>Appended to every blocklist and Sender Score zone (e.g. "dnsbl.test" turns zen.spamhaus.org into zen.spamhaus.org.dnsbl.test). For tests and private mirrors.</summary>
    public string? ZoneSuffix { get; set; }

    /// <summary>Explicit zone rewrites, applied before <see cref="ZoneSuffix"/>: catalogue zone → zone to query.</summary>
    public IDictionary<string, string> ZoneOverrides { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Validity's Sender Score reputation zone.</summary>
    public string SenderScoreZone { get; set; } = "score.senderscore.com";

    /// <summary>
    /// Asked before every run: a name that must exist (an A record). A resolver that says it does not (NXDOMAIN, no records,
    /// failure) is not answering correctly, and every DNS result of the run is unknown. Empty: not asked.
    /// The default is a root server's name: it has existed since 1995 and any working recursive resolver can reach it.
    /// </summary>
    public string ResolverMustExist { get; set; } = "a.root-servers.net";

    /// <summary>
    /// Asked before every run: a name that must not exist (NXDOMAIN expected). A resolver that answers it (NXDOMAIN rewriting,
    /// a wildcard) would also invent blocklist listings. Empty: not asked. The default lies under example.com, which IANA
    /// reserves (RFC 2606) and serves without a wildcard.
    /// </summary>
    public string ResolverMustNotExist { get; set; } = "nxdomain-probe.example.com";

    /// <summary>Cron (UTC) of the recurring check of every enabled sending IP (job "checks:all-ips"); empty = not scheduled.</summary>
    public string Schedule { get; set; } = "0 */6 * * *";

    /// <summary>
    /// The zone actually queried for a catalogue (or Sender Score) zone, after the DQS key, overrides and suffix.
    /// <paramref name="spamhausDqsKey"/> (e.g. the key stored in the database) replaces <see cref="SpamhausDqsKey"/> when given.
    /// </summary>
    public string EffectiveZone(string zone, bool isSpamhaus = false, string? spamhausDqsKey = null)
    {
        var effective = zone;
        var key = string.IsNullOrWhiteSpace(spamhausDqsKey) ? SpamhausDqsKey : spamhausDqsKey;
        if (isSpamhaus && !string.IsNullOrWhiteSpace(key) && zone.EndsWith(".spamhaus.org", StringComparison.OrdinalIgnoreCase))
        {
            effective = $"{key.Trim()}.{zone[..^".spamhaus.org".Length]}.dq.spamhaus.net";
        }

        if (ZoneOverrides.TryGetValue(zone, out var overridden)) effective = overridden;
        return string.IsNullOrWhiteSpace(ZoneSuffix) ? effective : $"{effective}.{ZoneSuffix.Trim('.')}";
    }
}
