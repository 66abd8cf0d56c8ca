namespace Deliverability.Core.Checks.Blocklists;

/// <summary>
/// The DNS blocklist a refusal names, read from its reply text. Receivers that refuse on a DNSBL say which one: Postfix
/// reject_rbl_client "Client host [x] blocked using zen.spamhaus.org", Exim dnslists "rejected because x is in a black list at
/// zen.spamhaus.org" (or only "Rejected because IP is in a black list" when the list is hidden), many appliances "listed on /
/// in / at &lt;zone&gt;", Spamhaus's own "https://www.spamhaus.org/query/ip/x" links. Pure.
/// </summary>
public static class BlocklistMention
{
    /// <summary>The refusal says the IP is on a blocklist without saying which.</summary>
    public const string Unnamed = "unnamed";

    private static readonly string[] ListPhrases = ["black list", "blacklist", "blocklist", "block list", "dnsbl", "rbl", "blackhole"];

    /// <summary>
    /// The catalogue zone the text names (the zone itself, else the list's own domain: "spamhaus.org" is ZEN), <see cref="Unnamed"/>
    /// when it only says "black list", "DNSBL" or "RBL", or null. <paramref name="providerCode"/>: a provider's own block list
    /// (Outlook.com S3150 "on our block list") is not a DNS blocklist, so a text with a code is only read for named zones.
    /// </summary>
    public static string? Find(string? text, string? providerCode = null)
    {
        if (string.IsNullOrEmpty(text)) return null;
        foreach (var zone in BlocklistCatalogue.All)
        {
            if (text.Contains(zone.Zone, StringComparison.OrdinalIgnoreCase)) return zone.Zone;
        }

        foreach (var zone in BlocklistCatalogue.All.Where(z => !z.IsReputation))
        {
            var domain = OwnDomain(zone.Zone);
            if (ContainsDomain(text, domain)) return zone.Zone;
        }

        if (providerCode is not null) return null;
        return ListPhrases.Any(p => ContainsWord(text, p)) ? Unnamed : null;
    }

    /// <summary>"zen.spamhaus.org" → "spamhaus.org", "dnsbl-1.uceprotect.net" → "uceprotect.net".</summary>
    private static string OwnDomain(string zone)
    {
        var last = zone.LastIndexOf('.');
        var previous = last <= 0 ? -1 : zone.LastIndexOf('.', last - 1);
        return previous < 0 ? zone : zone[(previous + 1)..];
    }

    private static bool ContainsDomain(string text, string domain)
    {
        for (var at = text.IndexOf(domain, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(domain, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 ? ' ' : text[at - 1];
            var end = at + domain.Length;
            var after = end >= text.Length ? ' ' : text[end];
            if ((before == '.' || !char.IsLetterOrDigit(before) && before != '-') && !char.IsLetterOrDigit(after) && after != '-') return true;
        }

        return false;
    }

    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + word.Length;
            if ((at == 0 || !char.IsLetter(text[at - 1])) && (end >= text.Length || !char.IsLetter(text[end]) || text[end] == 's')) return true;
        }

        return false;
    }
}
