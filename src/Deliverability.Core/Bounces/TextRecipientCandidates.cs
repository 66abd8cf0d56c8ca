namespace Deliverability.Core.Bounces;

/// <summary>
/// The addresses in a bounce's text that look like failed recipients: never the bounce's or the original's sender,
/// a role account that only signs the bounce, a return address that encodes another address (VERP, BATV, SRS), an
/// address inside a URL or a "please contact ..." sentence, or an address first seen on a folded continuation of
/// another recipient's explanation.
/// </summary>
internal static class TextRecipientCandidates
{
    /// <summary>Addresses that look like failed recipients, with the lines where they appear, in order of first appearance.</summary>
    public static OrderedDictionary<string, List<int>> Find(BounceContext context, string[] lines)
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

            foreach (var address in TextAddresses.Find(line))
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

    /// <summary>A line restating a header of the original (To:, Cc:, Subject:): its addresses and numbers are not the failure's.</summary>
    public static bool IsHeaderRestatement(string lower)
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

        if (window.ContainsAny(InvitationWords))
        {
            return true;
        }

        // "... or contact support@example.org", "you may reply to bounces@example.org": the verb right before the address.
        // Postfix's "(in reply to RCPT TO command)" is not an invitation.
        var verb = window.TrimEnd(" \t<\"'(:");
        return verb.EndsWith("contact", StringComparison.Ordinal) ||
            (verb.EndsWith("reply to", StringComparison.Ordinal) && !verb.EndsWith("in reply to", StringComparison.Ordinal));
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
}
