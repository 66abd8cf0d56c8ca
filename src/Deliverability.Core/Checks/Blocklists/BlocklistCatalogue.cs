using System.Net;

namespace Deliverability.Core.Checks.Blocklists;

/// <summary>How to read one answer (or range of answers) of a list: what it means and how bad it is.</summary>
/// <summary><paramref name="DynamicRange"/>: the answer says the IP is in an end-user or dynamic range (Spamhaus PBL, RATS-Dyna).</summary>
public sealed record BlocklistReturnCode(string First, string Last, string Meaning, CheckStatus Status, bool DynamicRange = false)
{
    public BlocklistReturnCode(string code, string meaning, CheckStatus status, bool dynamicRange = false) : this(code, code, meaning, status, dynamicRange)
    {
    }

    public bool Covers(IPAddress answer)
    {
        var value = ToUInt(answer);
        return value >= ToUInt(IPAddress.Parse(First)) && value <= ToUInt(IPAddress.Parse(Last));
    }

    internal static uint ToUInt(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return b.Length != 4 ? 0 : ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}

/// <summary>
/// The names a list must answer in a known way (RFC 5782 section 5), as query labels in front of the zone.
/// <paramref name="MustBeListed"/> must get an answer that reads as a listing; <paramref name="MustNotBeListed"/> must get
/// NXDOMAIN (or NODATA). Null: the list documents no such entry, so it is not asked.
/// </summary>
public sealed record BlocklistTestPoints(string? MustBeListed, string? MustNotBeListed)
{
    /// <summary>IPv4 lists: 127.0.0.2 MUST be listed, 127.0.0.1 MUST NOT (RFC 5782 section 5).</summary>
    public static BlocklistTestPoints Ipv4 { get; } = new("2.0.0.127", "1.0.0.127");

    /// <summary>Domain lists: "test" MUST be listed, "invalid" MUST NOT (RFC 5782 section 5).</summary>
    public static BlocklistTestPoints Domain { get; } = new("test", "invalid");

    /// <summary>The address or name a label stands for, for people: "127.0.0.2" for "2.0.0.127", the name itself for domain lists.</summary>
    public static string Display(string label)
    {
        var parts = label.Split('.');
        return parts.Length == 4 && parts.All(p => byte.TryParse(p, out _)) ? string.Join('.', parts.Reverse()) : label;
    }
}

/// <summary>One DNS blocklist (or reputation zone): what it lists, how to read its answers, how to get off it, and its query terms.</summary>
public sealed record BlocklistZone(
    string Zone,
    string Name,
    string Lists,
    IReadOnlyList<BlocklistReturnCode> Codes,
    string RemovalUrl,
    string QueryTerms,
    bool SupportsIpv6 = false,
    bool RequiresRegistration = false,
    bool EnabledByDefault = true,
    bool IsSpamhaus = false,
    bool IsReputation = false,
    BlocklistTestPoints? TestPoints = null)
{
    /// <summary>The test points asked in every run: the catalogue entry's, else RFC 5782's IPv4 ones.</summary>
    public BlocklistTestPoints EffectiveTestPoints => TestPoints ?? BlocklistTestPoints.Ipv4;
}

/// <summary>
/// The lists checked, as data (sources: the provider knowledge base section D; Spamhaus, SpamRATS, Mailspike, UCEPROTECT docs).
/// SORBS is absent on purpose: it was shut down in June 2024. Barracuda answers only resolvers registered with it, so it is off by default.
/// </summary>
public static class BlocklistCatalogue
{
    /// <summary>Spamhaus answers in 127.255.255.0/24 are errors, never listings.</summary>
    public static readonly IReadOnlyList<BlocklistReturnCode> SpamhausErrors =
    [
        new("127.255.255.252", "query refused: typo in the zone name", CheckStatus.Unknown),
        new("127.255.255.254", "query refused: it came through a public/open resolver (or one with generic rDNS); use your own resolver or a DQS key", CheckStatus.Unknown),
        new("127.255.255.255", "query refused: excessive number of queries; use a DQS key", CheckStatus.Unknown),
    ];

    private const string SpamhausTerms = "Free only for non-commercial use under 100,000 SMTP connections and 300,000 queries a day, through your own resolver; otherwise a (free) DQS key.";

    public static IReadOnlyList<BlocklistZone> All { get; } =
    [
        new("zen.spamhaus.org", "Spamhaus ZEN", "SBL + CSS + XBL + PBL + DROP combined",
        [
            new("127.0.0.2", "SBL: manually listed spam source", CheckStatus.Fail),
            new("127.0.0.3", "SBL CSS: low-reputation/snowshoe automated sending", CheckStatus.Fail),
            new("127.0.0.4", "127.0.0.7", "XBL: exploited host, bot or proxy (CBL data)", CheckStatus.Fail),
            new("127.0.0.9", "DROP/EDROP: hijacked or criminal netblock", CheckStatus.Fail),
            new("127.0.0.10", "PBL (ISP-maintained): end-user range that should not send direct-to-MX", CheckStatus.Fail, dynamicRange: true),
            new("127.0.0.11", "PBL (Spamhaus-maintained): end-user range that should not send direct-to-MX", CheckStatus.Fail, dynamicRange: true),
            .. SpamhausErrors,
        ], "https://check.spamhaus.org/", SpamhausTerms, SupportsIpv6: true, IsSpamhaus: true),
        new("bl.spamcop.net", "SpamCop", "IPs reported by SpamCop users and traps (time-based)",
            [new("127.0.0.2", "listed: mail reported as spam recently", CheckStatus.Fail)],
            "https://www.spamcop.net/bl.shtml", "Free. Listings expire automatically about 24 h after reports stop; no manual removal."),
        new("dnsbl-1.uceprotect.net", "UCEPROTECT Level 1", "single IPs that hit UCEPROTECT traps",
            [new("127.0.0.2", "level 1: this IP hit spam traps", CheckStatus.Fail)],
            "https://www.uceprotect.net/en/rblcheck.php", "Free to query. Expires 7 days after the last hit; paid express delisting exists."),
        new("dnsbl-2.uceprotect.net", "UCEPROTECT Level 2", "allocations with several Level 1 IPs",
            [new("127.0.0.2", "level 2: your provider's allocation has many listed IPs (not you specifically)", CheckStatus.Warn)],
            "https://www.uceprotect.net/en/rblcheck.php", "Free to query. Clears when the Level 1 listings in the range expire; ask the provider."),
        new("dnsbl-3.uceprotect.net", "UCEPROTECT Level 3", "whole ASNs with many Level 1 IPs",
            [new("127.0.0.2", "level 3: your provider's whole network (ASN) is listed", CheckStatus.Warn)],
            "https://www.uceprotect.net/en/rblcheck.php", "Free to query. Few receivers use Level 3; it clears only when the ASN cleans up."),
        new("psbl.surriel.com", "PSBL", "IPs that hit PSBL spamtraps and are not known mail servers",
            [new("127.0.0.2", "listed: hit PSBL spam traps", CheckStatus.Fail)],
            "https://psbl.org/", "Free. Anyone can remove an entry from the web page; entries also time out."),
        new("bl.mailspike.net", "Mailspike BL", "IPs in current distributed spam waves",
        [
            new("127.0.0.2", "listed: zombie/botnet behaviour", CheckStatus.Fail),
            new("127.0.0.10", "listed: worst reputation", CheckStatus.Fail),
            new("127.0.0.11", "listed: very bad reputation", CheckStatus.Fail),
            new("127.0.0.12", "listed: bad reputation", CheckStatus.Warn),
        ], "https://mailspike.io/ip_verify", "Free for low volume; listings are automatic and expire quickly."),
        new("rep.mailspike.net", "Mailspike reputation", "reputation of every IP Mailspike has seen",
        [
            new("127.0.0.10", "reputation: worst", CheckStatus.Fail),
            new("127.0.0.11", "reputation: very bad", CheckStatus.Fail),
            new("127.0.0.12", "reputation: bad", CheckStatus.Warn),
            new("127.0.0.13", "127.0.0.16", "reputation: neutral", CheckStatus.Pass),
            new("127.0.0.17", "127.0.0.20", "reputation: possibly good to excellent", CheckStatus.Pass),
        ], "https://mailspike.io/ip_verify", "Free for low volume; automatic.", IsReputation: true,
            // A reputation zone answers for every IP it has seen, good or bad; our sources name no entry it must hold for
            // 127.0.0.2, so only the entry it must not hold (127.0.0.1) is asked.
            TestPoints: new BlocklistTestPoints(null, BlocklistTestPoints.Ipv4.MustNotBeListed)),
        new("all.spamrats.com", "SpamRATS", "generic rDNS (Dyna), missing rDNS (NoPtr), confirmed spam (Spam), auth attacks",
        [
            new("127.0.0.36", "RATS-Dyna: PTR looks dynamic/generic", CheckStatus.Fail, dynamicRange: true),
            new("127.0.0.37", "RATS-NoPtr: no PTR record", CheckStatus.Fail),
            new("127.0.0.38", "RATS-Spam: confirmed spam source", CheckStatus.Fail),
            new("127.0.0.43", "RATS-Auth: authentication attacks", CheckStatus.Fail),
        ], "https://www.spamrats.com/removal.php", "Free. Fix the PTR (Dyna/NoPtr) or the cause, then use the removal form."),
        new("ips.backscatterer.org", "Backscatterer", "IPs sending backscatter (misdirected bounces, sender callouts)",
            [new("127.0.0.2", "listed: sends backscatter or sender-verification callouts", CheckStatus.Warn)],
            "https://www.backscatterer.org/?target=test", "Free. Expires 4 weeks after the last event; paid express delisting. Receivers should use it only against bounces."),
        new("all.s5h.net", "s5h", "abusive hosts and spam sources (mail and HTTP)",
            [new("127.0.0.2", "listed: abuse seen from this IP", CheckStatus.Fail)],
            "https://www.usenix.org.uk/content/rblremove", "Free. Request removal from the cleaned host itself.", SupportsIpv6: true),
        new("ix.dnsbl.manitu.net", "NiX Spam", "automated spam sources (heise/manitu traps)",
            [new("127.0.0.2", "listed: sent to NiX Spam traps", CheckStatus.Fail)],
            "https://www.nixspam.net/", "Free. Removed automatically 12 h after the last spam."),
        new("b.barracudacentral.org", "Barracuda BRBL", "IPs seen sending spam to Barracuda traps",
            [new("127.0.0.2", "listed by Barracuda Reputation", CheckStatus.Fail)],
            "https://www.barracudacentral.org/rbl/removal-request",
            "Free, but answers only resolvers whose IP is registered at barracudacentral.org; unregistered queries give nothing useful. Off by default.",
            RequiresRegistration: true, EnabledByDefault: false),
    ];

    public static BlocklistZone? Find(string zone) =>
        All.FirstOrDefault(z => z.Zone.Equals(zone.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
}
