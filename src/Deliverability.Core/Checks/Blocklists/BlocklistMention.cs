namespace Deliverability.Core.Checks.Blocklists;

/// <summary>
/// Finds the DNS blocklist a refusal names. Receivers that reject on a DNSBL say so in the reply, in forms set by
/// their MTA's defaults: Postfix reject_rbl_client "Client host [ip] blocked using zen.spamhaus.org"
/// (postfix/src/smtpd/smtpd_check.c), Exim's default ACL "rejected because ip is in a black list at zone"
/// (src/configure.default) or "ip is listed at zone" ($dnslist_domain), and texts like "listed on/in/by zone" or a
/// list's lookup URL (spamhaus.org/query/ip/..., spamcop.net/bl.shtml?ip).
/// </summary>
public static class BlocklistMention
{
    /// <summary>The refusal says the IP is on a blocklist but does not name which.</summary>
    public const string Unnamed = "(unnamed list)";

    private static readonly string[] ZoneMarkers =
        ["blocked using ", "black list at ", "blacklist at ", "blocklist at ", "listed at ", "listed on ", "listed in ", "listed by ", "blacklisted by ", "blacklisted at "];

    private static readonly string[] ListingWords = ["listed", "blocked", "black list", "blacklist", "blocklist", "dnsbl", "rbl"];

    /// <summary>Each catalogue zone with its operator's own domain ("zen.spamhaus.org", "spamhaus.org"), worked out once.</summary>
    private static readonly (string Zone, string Operator)[] Operators = [.. BlocklistCatalogue.All.Select(z => (z.Zone, OperatorDomain(z.Zone)))];

    private static readonly string[] UnnamedMarkers = ["in a black list", "in a blacklist", "on a blacklist", "on a blocklist", "in a blocklist", "dnsbl", " rbl ", "rbl:", "realtime blackhole", "ip is blacklisted", "ip blacklisted", "ip address is blacklisted"];

    /// <summary>The zone ("zen.spamhaus.org"), <see cref="Unnamed"/>, or null when the text names no blocklist.</summary>
    public static string? Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var lower = (text.Length > 2000 ? text[..2000] : text).ToLowerInvariant();
        foreach (var zone in BlocklistCatalogue.All)
        {
            if (lower.Contains(zone.Zone, StringComparison.Ordinal))
            {
                return zone.Zone;
            }
        }

        foreach (var marker in ZoneMarkers)
        {
            var at = lower.IndexOf(marker, StringComparison.Ordinal);
            while (at >= 0)
            {
                if (ZoneOf(TokenAt(lower, at + marker.Length)) is { } zone)
                {
                    return zone;
                }

                at = lower.IndexOf(marker, at + marker.Length, StringComparison.Ordinal);
            }
        }

        if (ListingWords.Any(w => lower.Contains(w, StringComparison.Ordinal)))
        {
            foreach (var (zone, operatorDomain) in Operators)
            {
                if (lower.Contains(operatorDomain, StringComparison.Ordinal))
                {
                    return zone;
                }
            }
        }

        return UnnamedMarkers.Any(m => lower.Contains(m, StringComparison.Ordinal)) ? Unnamed : null;
    }

    /// <summary>A DNS name of three labels or more is a zone; an operator's own domain ("spamhaus.org") is its catalogue zone.</summary>
    private static string? ZoneOf(string token)
    {
        var labels = token.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length == 0) || !labels[^1].All(char.IsAsciiLetter))
        {
            return null;
        }

        foreach (var (zone, operatorDomain) in Operators)
        {
            if (operatorDomain == token)
            {
                return zone;
            }
        }

        return labels.Length >= 3 ? token : null;
    }

    private static string TokenAt(string text, int start)
    {
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '-'))
        {
            end++;
        }

        return text[start..end].TrimEnd('.');
    }

    private static string OperatorDomain(string zone)
    {
        var labels = zone.Split('.');
        return string.Join('.', labels[^2..]);
    }
}
