using System.Text.RegularExpressions;

namespace Deliverability.Core.Bounces;

/// <summary>Finds mailbox addresses in free text and normalises them (X.400 forms, mailto:, punctuation around them).</summary>
internal static partial class TextAddresses
{
    // Bounded quantifiers and no nested repetition: the backtracking engine stays linear. Internationalised addresses
    // (RFC 6531 local parts, RFC 5890 U-label domains) in Latin, Greek and Cyrillic letters are read whole ("céline@",
    // "jürgen@müller.example"); other scripts are left out because bounces in those languages write their own words right
    // next to the address ("收件人jun@163.com").
    [GeneratedRegex(@"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u04FF]{1,64}@[A-Za-z0-9\[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u04FF][A-Za-z0-9.\-\]:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u04FF]{0,250}", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();

    /// <summary>Every plausible mailbox address in the text, normalised, in order.</summary>
    public static List<string> Find(string text)
    {
        var found = new List<string>();
        foreach (var match in AddressPattern().EnumerateMatches(text))
        {
            var address = Clean(text.AsSpan(match.Index, match.Length));
            if (address is not null)
            {
                found.Add(address);
            }
        }

        return found;
    }

    /// <summary>
    /// The address of a DSN recipient field's value (its address type already removed), without the RFC 5322 comment
    /// some MTAs add after it ("jo@example.org (Jo Smith)").
    /// </summary>
    public static string? FromRecipientField(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var comment = at < 0 ? -1 : value.IndexOf(" (", at, StringComparison.Ordinal);
        return Clean(comment > 0 ? value.AsSpan(0, comment) : value);
    }

    /// <summary>The address with its quoted local part kept whole, when <paramref name="raw"/> holds one; empty otherwise.</summary>
    private static ReadOnlySpan<char> QuotedLocalPart(ReadOnlySpan<char> raw)
    {
        var s = raw.Trim().TrimStart('<');
        var close = s.Length > 2 && s[0] == '"' ? s.IndexOf("\"@", StringComparison.Ordinal) : -1;
        return close > 0 ? s.TrimEnd(">;,.)]") : default;
    }

    /// <summary>Normalises an address found in text; null when it is not a plausible mailbox.</summary>
    public static string? Clean(ReadOnlySpan<char> raw)
    {
        var s = raw.Trim().Trim("<>\"'()[],;:.`");
        var quoted = QuotedLocalPart(raw);
        if (!quoted.IsEmpty)
        {
            // An RFC 5321 quoted-string local part ("fred smith" in quotes before the @): the quotes are part of the address.
            s = quoted;
        }

        var at = s.LastIndexOf('@');
        if (at <= 0 || at == s.Length - 1)
        {
            return null;
        }

        var local = s[..at].TrimStart('.');
        if (local.StartsWith("--"))
        {
            // "--alice@example.org, be seeing you": a dash used as punctuation, not part of the address.
            local = local.TrimStart('-');
        }

        var domain = s[(at + 1)..].TrimEnd(".]:");
        if (local.IsEmpty || domain.IsEmpty)
        {
            return null;
        }

        if (local.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            local = local[7..];
        }

        // X.400 gateways (Exchange, Lotus Notes) write the SMTP address as a domain-defined attribute:
        // "dda:SMTP=user@example.com", "RFC-822=user@example.com" (RFC 2156 section 4.2).
        var equals = local.IndexOf('=');
        if (equals > 0 && local[..equals] is var attribute &&
            (attribute.Equals("smtp", StringComparison.OrdinalIgnoreCase) || attribute.Equals("rfc-822", StringComparison.OrdinalIgnoreCase) ||
             attribute.Equals("rfc822", StringComparison.OrdinalIgnoreCase) || attribute.EndsWith(":smtp", StringComparison.OrdinalIgnoreCase)))
        {
            local = local[(equals + 1)..];
            if (local.IsEmpty)
            {
                return null;
            }
        }

        if (domain[0] != '[' && !domain.Contains('.'))
        {
            return null;
        }

        return string.Concat(local, "@", domain).ToLowerInvariant();
    }
}
