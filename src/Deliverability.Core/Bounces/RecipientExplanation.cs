namespace Deliverability.Core.Bounces;

/// <summary>
/// The lines of a bounce's text that explain one recipient's failure: the block that starts at the line naming it
/// (qmail "&lt;addr&gt;:" blocks, Exim indented blocks, Sendmail transcripts), else the lines anywhere in the text that
/// carry an SMTP reply.
/// </summary>
internal static class RecipientExplanation
{
    private const int MaxBlockLines = 12;

    public static string? BestBlock(string[] lines, OrderedDictionary<string, List<int>> candidates, string recipient)
    {
        if (!candidates.TryGetValue(recipient, out var occurrences))
        {
            return null;
        }

        var startLines = new OtherStarts(candidates, recipient);
        string? first = null;
        string? coded = null;
        foreach (var index in occurrences)
        {
            var block = Block(lines, index, startLines);
            first ??= block;
            if (SmtpCodes.FindReplyCode(block) is not null || SmtpCodes.FindStatus(block) is not null)
            {
                coded = block;
                break;
            }
        }

        var chosen = coded ?? first;
        foreach (var index in occurrences)
        {
            // Sendmail names the recipient twice: in the list of failed addresses and in the transcript, where the
            // delivery agent's own words sit above the reply line. Those words complete the list's summary.
            var above = TranscriptLinesAbove(lines, index, startLines);
            var line = lines[index].Trim();
            if (above.Count > 0 && chosen is not null && !chosen.Contains(line, StringComparison.Ordinal))
            {
                return chosen + " " + string.Join(' ', above) + " " + line;
            }
        }

        return chosen;
    }

    private static string Block(string[] lines, int start, OtherStarts otherStarts)
    {
        var parts = TranscriptLinesAbove(lines, start, otherStarts);
        var first = parts.Count;
        parts.Add(lines[start].Trim());
        var i = start + 1;
        // qmail and Exim put the explanation on the following lines; allow one blank line right after the address.
        if (i < lines.Length && string.IsNullOrWhiteSpace(lines[i]) && parts[first].Length < 80 && i + 1 < lines.Length && !otherStarts.Contains(i + 1))
        {
            i++;
        }

        for (; i < lines.Length && parts.Count < MaxBlockLines; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line) && parts[^1].EndsWith(':') && i + 1 < lines.Length &&
                !string.IsNullOrWhiteSpace(lines[i + 1]) && !otherStarts.Contains(i + 1))
            {
                // "... because:" followed by a blank line and the reason.
                continue;
            }

            if (string.IsNullOrWhiteSpace(line) || otherStarts.Contains(i))
            {
                break;
            }

            var trimmed = line.Trim();
            if (trimmed.StartsWith("---", StringComparison.Ordinal) || trimmed.StartsWith("===", StringComparison.Ordinal))
            {
                break;
            }

            parts.Add(trimmed);
        }

        return string.Join(' ', parts);
    }

    /// <summary>
    /// Sendmail's "----- Transcript of session follows -----" (savemail.c) holds, above the reply line that names the
    /// recipient, what the delivery agent said without a code: "mail.local: unknown user: alice" (mail.local.c), a
    /// program's error output, or "&gt;&gt;&gt; DATA" / "&lt;&lt;&lt; 550 ..." from the remote dialogue. Those lines explain this failure.
    /// </summary>
    private static List<string> TranscriptLinesAbove(string[] lines, int start, OtherStarts otherStarts)
    {
        var above = new List<string>();
        var line = lines[start].AsSpan().TrimStart();
        if (line.Length < 4 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]))
        {
            return above;
        }

        for (var i = start - 1; i >= 0 && i >= start - 6; i--)
        {
            if (string.IsNullOrWhiteSpace(lines[i]) || otherStarts.Contains(i))
            {
                return [];
            }

            if (lines[i].Contains("transcript of session follows", StringComparison.OrdinalIgnoreCase))
            {
                above.Reverse();
                return above;
            }

            above.Add(lines[i].Trim());
        }

        return [];
    }

    /// <summary>Lines that carry an SMTP reply anywhere in the text, when no recipient block explains the failure.</summary>
    public static string? GlobalDiagnostic(string[] lines)
    {
        var picked = new List<string>();
        for (var i = 0; i < lines.Length && picked.Count < 4; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (TextRecipientCandidates.IsHeaderRestatement(line.ToLowerInvariant()))
            {
                // A restated "Subject: release 4.2.1" is not an SMTP reply.
                continue;
            }

            if (SmtpCodes.FindReplyCode(line) is { } code && code >= 400 && (line.Length < 8 || !char.IsAsciiDigit(line[0]) || line[3] is ' ' or '-' or '\t' || line.Contains("said", StringComparison.OrdinalIgnoreCase)))
            {
                picked.Add(line);
                if (i + 1 < lines.Length && lines[i + 1].StartsWith(' ') && !string.IsNullOrWhiteSpace(lines[i + 1]))
                {
                    picked.Add(lines[i + 1].Trim());
                }
            }
            else if (SmtpCodes.FindStatus(line) is { } status && status[0] != '2')
            {
                picked.Add(line);
            }
        }

        if (picked.Count > 0)
        {
            return string.Join(' ', picked);
        }

        // No code at all: keep the first lines of prose; the phrase rules may still recognise them.
        var prose = lines.Select(l => l.Trim()).Where(l => l.Length > 0).Take(12);
        var text = string.Join(' ', prose);
        return text.Length == 0 ? null : text;
    }
}

/// <summary>Lines where another candidate recipient appears (where one recipient's explanation block must stop).</summary>
internal readonly struct OtherStarts(OrderedDictionary<string, List<int>> candidates, string recipient)
{
    public bool Contains(int line)
    {
        foreach (var (address, lines) in candidates)
        {
            if (lines.Contains(line) && !address.Equals(recipient, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
