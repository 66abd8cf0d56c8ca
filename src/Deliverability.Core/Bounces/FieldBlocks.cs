namespace Deliverability.Core.Bounces;

/// <summary>
/// Reads "Name: value" blocks separated by blank lines, as in message/delivery-status and message/feedback-report bodies.
/// Continuation lines are unfolded. Names are compared case-insensitively.
/// </summary>
internal static class FieldBlocks
{
    public static List<Dictionary<string, string>> Read(string text)
    {
        var blocks = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? lastName = null;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimEnd();
            if (line.IsWhiteSpace())
            {
                if (current is { Count: > 0 })
                {
                    blocks.Add(current);
                }

                current = null;
                lastName = null;
                continue;
            }

            current ??= new Dictionary<string, string>(12, StringComparer.OrdinalIgnoreCase);
            if ((line[0] == ' ' || line[0] == '\t') && lastName is not null)
            {
                current[lastName] = current[lastName] + " " + line.Trim().ToString();
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].ContainsAny(' ', '\t'))
            {
                if (lastName is not null)
                {
                    // Some MTAs wrap long values without indentation.
                    current[lastName] = current[lastName] + " " + line.Trim().ToString();
                }

                continue;
            }

            var name = line[..colon].ToString();
            var value = line[(colon + 1)..].Trim().ToString();
            if (current.TryGetValue(name, out var existing))
            {
                // A second field of the same name starts a new recipient block when the MTA forgot the blank line.
                if (name.Equals("Final-Recipient", StringComparison.OrdinalIgnoreCase) ||
                    name.Equals("Original-Recipient", StringComparison.OrdinalIgnoreCase) && current.ContainsKey("Action"))
                {
                    blocks.Add(current);
                    current = new Dictionary<string, string>(12, StringComparer.OrdinalIgnoreCase);
                    current[name] = value;
                }
                else if (value.Length > 0 && existing.Length == 0)
                {
                    current[name] = value;
                }
            }
            else
            {
                current[name] = value;
            }

            lastName = name;
        }

        if (current is { Count: > 0 })
        {
            blocks.Add(current);
        }

        return blocks;
    }

    /// <summary>Removes the "type;" prefix of DSN fields (rfc822; dns; smtp; X-Postfix; ...).</summary>
    public static string StripType(string value)
    {
        // A value folded onto the next line ("Final-Recipient:\r\n rfc822; a@example.org") starts with whitespace.
        value = value.Trim();
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon > 0 && semicolon < 40 && !value.AsSpan(0, semicolon).ContainsAny(' ', '@', '<'))
        {
            return value[(semicolon + 1)..].Trim();
        }

        return value.Trim();
    }
}
