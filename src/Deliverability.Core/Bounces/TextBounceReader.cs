using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Reads bounces that carry no delivery-status part: finds the failed addresses in the human-readable text and the
/// lines that explain each failure (qmail "&lt;addr&gt;:" blocks, Exim indented blocks, Sendmail transcripts, provider prose).
/// </summary>
internal static class TextBounceReader
{
    private const int MaxTextChars = 40 * 1024;
    private const int MaxBlockLines = 12;

    private static readonly System.Buffers.SearchValues<string> GivenUpPhrases = System.Buffers.SearchValues.Create(
        ["permanent", "given up", "giving up", "not going to try again"], StringComparison.OrdinalIgnoreCase);

    public static List<RecipientResult> Read(BounceContext context)
    {
        var results = new List<RecipientResult>();
        if (!context.LooksLikeBounce())
        {
            return results;
        }

        var (lines, candidates) = context.Layout;
        var recipients = FailedRecipientsHeader(context);
        if (recipients.Count == 0)
        {
            recipients = candidates.Keys.ToList();
        }

        if (recipients.Count == 0 && context.Original.To.Count > 0)
        {
            recipients = [context.Original.To[0]];
        }

        var givenUp = context.Text.AsSpan().ContainsAny(GivenUpPhrases);
        foreach (var recipient in recipients.Take(500))
        {
            var diagnostic = DiagnosticFrom(lines, candidates, recipient);
            var raw = new RawRecipient
            {
                Recipient = recipient,
                Action = givenUp ? "failed" : null,
                Diagnostic = diagnostic,
                ReportingMta = ReportingMtaFromReceived(context.Message),
                RemoteMta = RemoteMtaFrom(diagnostic),
                ArrivalDate = context.Message.Date == DateTimeOffset.MinValue ? null : context.Message.Date,
            };
            results.Add(ResultBuilder.Build(raw, context));
        }

        return results;
    }

    /// <summary>The first address in the text that looks like a failed recipient.</summary>
    public static string? FirstCandidate(BounceContext context)
    {
        var (_, candidates) = context.Layout;
        return candidates.Count > 0 ? candidates.GetAt(0).Key : context.Original.To.Count > 0 ? context.Original.To[0] : null;
    }

    /// <summary>The explanation the text gives for one recipient (used when a DSN lacks a Diagnostic-Code).</summary>
    public static (string? Text, bool AboutRecipient) DiagnosticFor(BounceContext context, string recipient)
    {
        if (context.Text.Length == 0)
        {
            return (null, false);
        }

        var (lines, candidates) = context.Layout;
        var block = BestBlock(lines, candidates, recipient);
        if (block is not null && (SmtpCodes.FindReplyCode(block) is not null || SmtpCodes.FindStatus(block) is not null))
        {
            return (block, true);
        }

        return (DiagnosticFrom(lines, candidates, recipient), false);
    }

    private static string? DiagnosticFrom(string[] lines, OrderedDictionary<string, List<int>> candidates, string recipient)
    {
        var block = BestBlock(lines, candidates, recipient);
        if (block is not null && (SmtpCodes.FindReplyCode(block) is not null || SmtpCodes.FindStatus(block) is not null))
        {
            return block;
        }

        var global = GlobalDiagnostic(lines);
        if (global is not null && (SmtpCodes.FindReplyCode(global) is not null || SmtpCodes.FindStatus(global) is not null))
        {
            return block is null ? global : block + " " + global;
        }

        return block is not null && global is not null && block.Length < 200 ? block + " " + global : block ?? global;
    }

    internal static TextLayout Analyse(BounceContext context)
    {
        var lines = Lines(context.Text);
        return new TextLayout(lines, Candidates(context, lines));
    }

    private static List<string> FailedRecipientsHeader(BounceContext context)
    {
        var list = new List<string>();
        var value = context.Message.Headers["X-Failed-Recipients"];
        if (value is not null)
        {
            foreach (var address in SmtpCodes.FindAddresses(value))
            {
                if (!list.Contains(address))
                {
                    list.Add(address);
                }
            }
        }

        return list;
    }

    private static string[] Lines(string text)
    {
        if (text.Length > MaxTextChars)
        {
            text = text[..MaxTextChars];
        }

        return (text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r", string.Empty, StringComparison.Ordinal) : text).Split('\n');
    }

    /// <summary>Addresses that look like failed recipients, with the lines where they appear, in order of first appearance.</summary>
    private static OrderedDictionary<string, List<int>> Candidates(BounceContext context, string[] lines)
    {
        var excluded = context.NonRecipientAddresses();
        var found = new OrderedDictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var weak = new OrderedDictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        // Indentation of the last line that named a recipient, while its explanation block goes on (-1: none).
        var blockIndent = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var indent = line.Length - line.AsSpan().TrimStart().Length;
            if (indent == line.Length || indent <= blockIndent && blockIndent >= 0 && line.Length > 0)
            {
                // A blank line, or a line as far left as the recipient line, ends the recipient's block.
                blockIndent = -1;
            }

            if (line.IndexOf('@', StringComparison.Ordinal) < 0)
            {
                continue;
            }

            var lower = line.ToLowerInvariant();
            if (IsSenderLine(lower))
            {
                continue;
            }

            foreach (var address in SmtpCodes.FindAddresses(line))
            {
                if (excluded.Contains(address) || IsReturnAddress(address) ||
                    (IsRoleAccount(address) && !IsListedRoleRecipient(context, lower, address)))
                {
                    continue;
                }

                var at = lower.IndexOf(address, StringComparison.Ordinal);
                if ((at > 0 && IsInsideUrlOrSender(lower, at)) || (at >= 0 && IsInvitationToWrite(i > 0 ? lines[i - 1] : string.Empty, lower, at)))
                {
                    continue;
                }

                // "To: addr" lines usually restate the original message's header, not the failure; an address first
                // seen on a folded continuation of another recipient's explanation is part of that explanation.
                var continuation = blockIndent >= 0 && indent > blockIndent;
                var target = (IsHeaderRestatement(lower) || continuation) && !found.ContainsKey(address) ? weak : found;
                if (target == found && !continuation)
                {
                    blockIndent = indent;
                }

                if (!target.TryGetValue(address, out var list))
                {
                    list = [];
                    target[address] = list;
                }

                list.Add(i);
            }
        }

        if (found.Count == 0)
        {
            return weak;
        }

        foreach (var (address, lines2) in weak)
        {
            if (found.TryGetValue(address, out var list))
            {
                list.AddRange(lines2);
            }
        }

        return found;
    }

    private static bool IsSenderLine(string lower)
    {
        var t = lower.TrimStart('>', ' ', '\t');
        return t.StartsWith("from:", StringComparison.Ordinal) || t.StartsWith("reply-to:", StringComparison.Ordinal) ||
            t.StartsWith("return-path:", StringComparison.Ordinal) || t.StartsWith("sender:", StringComparison.Ordinal) ||
            t.StartsWith("message-id:", StringComparison.Ordinal) || t.StartsWith("received:", StringComparison.Ordinal) ||
            t.StartsWith("mail from", StringComparison.Ordinal) || t.StartsWith("envelope-from", StringComparison.Ordinal) ||
            t.StartsWith("references:", StringComparison.Ordinal) || t.StartsWith("in-reply-to:", StringComparison.Ordinal) ||
            t.Contains("generated from", StringComparison.Ordinal) || t.Contains("expanded from", StringComparison.Ordinal);
    }

    private static bool IsHeaderRestatement(string lower)
    {
        var t = lower.TrimStart();
        return t.StartsWith("to:", StringComparison.Ordinal) || t.StartsWith("cc:", StringComparison.Ordinal) ||
            t.StartsWith("subject:", StringComparison.Ordinal) || t.StartsWith("original-recipient", StringComparison.Ordinal);
    }

    private static bool IsInsideUrlOrSender(string lower, int at)
    {
        var before = lower.AsSpan(Math.Max(0, at - 12), Math.Min(12, at));
        // "=" before the address: a URL query or a VERP fold, except an X.400 attribute ("dda:SMTP=", "RFC-822=", RFC 2156).
        var x400 = before.EndsWith("smtp=") || before.EndsWith("rfc-822=") || before.EndsWith("rfc822=");
        return before.Contains("mail from:", StringComparison.Ordinal) || before.Contains("from:<", StringComparison.Ordinal) ||
            before.Contains("http", StringComparison.Ordinal) || before.EndsWith("/") || (before.EndsWith("=") && !x400);
    }

    /// <summary>
    /// Words that invite the reader to write to an address ("please contact postmaster@...", "send mail to ...",
    /// "for assistance ... helpdesk@..."): an address in such a sentence is a contact, not a failed recipient.
    /// </summary>
    private static readonly System.Buffers.SearchValues<string> InvitationWords = System.Buffers.SearchValues.Create(
        ["please contact", "contact us", "contact our", "contact your", "contact the", "contact:", "contact support",
            "send mail to", "send an email to", "send an e-mail to", "send email to", "send a message to", "write to", "mail us",
            "reach us", "assistance", "questions", "helpdesk", "help desk", "support at", "report this", "forward this"],
        StringComparison.Ordinal);

    private static bool IsInvitationToWrite(string previousLine, string lower, int at)
    {
        // The sentence may start on the previous line of the same paragraph.
        var before = previousLine.Trim().Length == 0 ? lower[..at] : previousLine.Trim().ToLowerInvariant() + " " + lower[..at];
        var window = before.AsSpan(Math.Max(0, before.Length - 100));
        foreach (var end in (ReadOnlySpan<string>)[". ", "! ", "? "])
        {
            var sentenceEnd = window.LastIndexOf(end, StringComparison.Ordinal);
            if (sentenceEnd >= 0)
            {
                window = window[(sentenceEnd + end.Length)..];
            }
        }

        return window.ContainsAny(InvitationWords);
    }

    /// <summary>
    /// The mail system's role accounts (RFC 2142: postmaster, abuse, hostmaster; mailer-daemon, no-reply). They sign
    /// bounces and are offered as contacts, so they count as recipients only when listed as one (see below).
    /// </summary>
    private static bool IsRoleAccount(string address)
    {
        var local = address.AsSpan(0, address.IndexOf('@', StringComparison.Ordinal));
        return local is "mailer-daemon" or "mailer_daemon" or "mail-daemon" or "postmaster" or "abuse" or "hostmaster" or "noreply" or "no-reply";
    }

    /// <summary>
    /// A role account is a failed recipient when the returned original was sent to it (To/Cc), or when the line opens
    /// with it the way recipient lists do ("&lt;postmaster@example.org&gt;:" in Postfix and qmail, "postmaster@example.org..."
    /// in Sendmail): postmaster@ and abuse@ are real mailboxes that mail is sent to (RFC 5321 section 4.5.1, RFC 2142).
    /// MAILER-DAEMON never is.
    /// </summary>
    private static bool IsListedRoleRecipient(BounceContext context, string lower, string address)
    {
        if (address.StartsWith("mailer", StringComparison.Ordinal) || address.StartsWith("mail-daemon", StringComparison.Ordinal))
        {
            return false;
        }

        if (context.Original.To.Contains(address, StringComparer.OrdinalIgnoreCase) &&
            !context.Original.SenderAddresses.Contains(address, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var t = lower.AsSpan().TrimStart(" \t<");
        if (!t.StartsWith(address, StringComparison.Ordinal))
        {
            return false;
        }

        var after = t[address.Length..].TrimStart('>');
        return after.StartsWith(":") || after.StartsWith("...");
    }

    /// <summary>
    /// Return addresses that encode the sender or the recipient for bounce handling are never a failed recipient:
    /// VERP ("bounce-alice=example.org@sender.example"), BATV ("prvs=1a2b3c4d5e=alice@..."), SRS ("SRS0=hash=tt=example.org=alice@forwarder").
    /// </summary>
    private static bool IsReturnAddress(string address)
    {
        var local = address[..address.IndexOf('@', StringComparison.Ordinal)];
        if (local.StartsWith("prvs=", StringComparison.Ordinal) || local.StartsWith("btv1==", StringComparison.Ordinal) ||
            local.StartsWith("srs0=", StringComparison.Ordinal) || local.StartsWith("srs1=", StringComparison.Ordinal))
        {
            return true;
        }

        // VERP: the local part ends in "=domain.tld" (the recipient's address folded into the sender's).
        var equals = local.LastIndexOf('=');
        return equals > 0 && equals < local.Length - 3 && local.AsSpan(equals + 1).Contains('.') && !local.AsSpan(equals + 1).ContainsAny('=', '+');
    }

    private static string? BestBlock(string[] lines, OrderedDictionary<string, List<int>> candidates, string recipient)
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
    private static string? GlobalDiagnostic(string[] lines)
    {
        var picked = new List<string>();
        for (var i = 0; i < lines.Length && picked.Count < 4; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (IsHeaderRestatement(line.ToLowerInvariant()))
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

    private static string? RemoteMtaFrom(string? diagnostic)
    {
        if (diagnostic is null)
        {
            return null;
        }

        // "host mx.example.com[192.0.2.1] said:" / "host mx.example.com [192.0.2.1]:" / "remote host 192.0.2.1 said:"
        var at = diagnostic.IndexOf("host ", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var rest = diagnostic.AsSpan(at + 5).TrimStart();
        var end = rest.IndexOfAny(' ', '[', ':');
        var name = (end < 0 ? rest : rest[..end]).Trim("[]():,.").ToString();
        return name.Contains('.', StringComparison.Ordinal) && name.Length < 256 && !name.Contains('@', StringComparison.Ordinal) ? name.ToLowerInvariant() : null;
    }

    private static string? ReportingMtaFromReceived(MimeMessage message)
    {
        var received = message.Headers[HeaderId.Received];
        if (received is null)
        {
            return null;
        }

        var by = received.IndexOf(" by ", StringComparison.OrdinalIgnoreCase);
        if (by < 0)
        {
            return null;
        }

        var rest = received.AsSpan(by + 4).TrimStart();
        var end = rest.IndexOfAny(' ', '(', ';');
        var host = (end < 0 ? rest : rest[..end]).ToString();
        return host.Length is > 0 and < 256 ? host.ToLowerInvariant() : null;
    }
}

/// <summary>The bounce text as lines, and the candidate recipient addresses with the lines they appear on.</summary>
internal sealed record TextLayout(string[] Lines, OrderedDictionary<string, List<int>> Candidates);

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
