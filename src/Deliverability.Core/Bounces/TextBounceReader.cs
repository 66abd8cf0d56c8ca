using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Reads bounces that carry no delivery-status part: finds the failed addresses in the human-readable text and the
/// lines that explain each failure (qmail "&lt;addr&gt;:" blocks, Exim indented blocks, Sendmail transcripts, provider prose).
/// </summary>
internal static class TextBounceReader
{
    private const int MaxTextChars = 40 * 1024;

    /// <summary>
    /// Words of a final report: the MTA stopped trying, whatever the status class of the last attempt (Exchange's
    /// "Delivery has failed to these recipients" over "4.4.7 QUEUE.Expired", Sendmail's "Message will be deleted from
    /// queue", qmail's "I've given up"). A delay notice never says them: it says the MTA will keep trying.
    /// </summary>
    private static readonly System.Buffers.SearchValues<string> GivenUpPhrases = System.Buffers.SearchValues.Create(
        ["permanent", "given up", "giving up", "not going to try again", "delivery has failed", "failed permanently",
            "deleted from queue", "delivery was stopped", "stopped trying",
            // Exchange 2000/2003's final NDR: "Your message did not reach some or all of the intended recipients." above
            // "The following recipient(s) cannot be reached:" (its delay notice says "has been delayed" instead).
            "did not reach some or all of the intended recipients", "recipient(s) cannot be reached",
            "removed from the mail queue",
            // Postfix bounce(8)'s failure template (its delay template says "THIS IS A WARNING ONLY" instead).
            "sorry to have to inform you that your message could not"], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Words of a delay notice: the MTA is still trying (Postfix "THIS IS A WARNING ONLY" / "Delayed Mail (still being
    /// retried)", Sendmail "THIS IS A WARNING MESSAGE ONLY", Exim "has not yet been delivered ... Delivery attempts will
    /// continue", Exchange "Delivery Status Notification (Delay)", Courier "WARNING: delayed mail"). A text notice that says
    /// them and none of <see cref="GivenUpPhrases"/> reports a delay, not a failure (RFC 3464 action "delayed").
    /// </summary>
    private static readonly System.Buffers.SearchValues<string> DelayPhrases = System.Buffers.SearchValues.Create(
        ["warning only", "warning message only", "has not yet been delivered", "not yet been delivered", "delivery attempts will continue",
            "will keep trying", "still being retried", "will be retried", "has been delayed", "delivery is delayed", "delivery delayed",
            "delayed mail", "(delay)"], StringComparison.OrdinalIgnoreCase);

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

        if (recipients.Count == 0)
        {
            // Some MTAs name the failed address only in the subject ("Delivery failure to jo@example.org").
            var excluded = context.NonRecipientAddresses();
            recipients = TextAddresses.Find(context.Subject).Where(a => !excluded.Contains(a)).Distinct().ToList();
        }

        var givenUp = context.Text.AsSpan().ContainsAny(GivenUpPhrases);
        var delayed = !givenUp && (context.Text.AsSpan().ContainsAny(DelayPhrases) || context.Subject.AsSpan().ContainsAny(DelayPhrases));
        foreach (var recipient in recipients.Take(500))
        {
            var diagnostic = DiagnosticFrom(lines, candidates, recipient);
            var raw = new RawRecipient
            {
                Recipient = recipient,
                Action = givenUp ? "failed" : delayed ? "delayed" : null,
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
        var block = RecipientExplanation.BestBlock(lines, candidates, recipient);
        if (block is not null && (SmtpCodes.FindReplyCode(block) is not null || SmtpCodes.FindStatus(block) is not null))
        {
            return (block, true);
        }

        return (DiagnosticFrom(lines, candidates, recipient), false);
    }

    private static string? DiagnosticFrom(string[] lines, OrderedDictionary<string, List<int>> candidates, string recipient)
    {
        var block = RecipientExplanation.BestBlock(lines, candidates, recipient);
        if (block is not null && (SmtpCodes.FindReplyCode(block) is not null || SmtpCodes.FindStatus(block) is not null))
        {
            return block;
        }

        var global = RecipientExplanation.GlobalDiagnostic(lines);
        if (global is not null && (SmtpCodes.FindReplyCode(global) is not null || SmtpCodes.FindStatus(global) is not null))
        {
            return block is null ? global : block + " " + global;
        }

        return block is not null && global is not null && block.Length < 200 ? block + " " + global : block ?? global;
    }

    internal static TextLayout Analyse(BounceContext context)
    {
        var lines = Lines(context.Text);
        return new TextLayout(lines, TextRecipientCandidates.Find(context, lines));
    }

    private static List<string> FailedRecipientsHeader(BounceContext context)
    {
        var list = new List<string>();
        var value = context.Message.Headers["X-Failed-Recipients"];
        if (value is not null)
        {
            foreach (var address in TextAddresses.Find(value))
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
