namespace Deliverability.Core.Checks;

/// <summary>Parses the "tag=value; tag=value" lists of DKIM (RFC 6376 section 3.2) and DMARC records.</summary>
public static class TagList
{
    /// <summary>Tags in order; names are lower-cased, values trimmed. Returns an error for a malformed or duplicate tag.</summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Tags, string? Error) Parse(string text)
    {
        var tags = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            if (string.IsNullOrWhiteSpace(part)) continue;
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return (tags, $"'{part.Trim()}' is not tag=value");
            var name = part[..eq].Trim().ToLowerInvariant();
            if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return (tags, $"invalid tag name '{name}'");
            }

            if (!seen.Add(name)) return (tags, $"tag '{name}' appears twice");
            tags.Add(new(name, part[(eq + 1)..].Trim()));
        }

        return (tags, null);
    }
}
