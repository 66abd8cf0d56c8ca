namespace Deliverability.Core.Bounces;

/// <summary>Which SMTP command a rejection answered (CONN, HELO, MAIL, RCPT, DATA), when the text says so.</summary>
internal static class SmtpCommand
{
    private static readonly (string Phrase, string Command)[] Phrases =
    [
        ("in reply to end of data command", "DATA"),
        ("in reply to data command", "DATA"),
        ("after end of data", "DATA"),
        ("after data", "DATA"),
        ("error following data command", "DATA"),
        ("(data)", "DATA"),
        ("smtp command data", "DATA"),
        ("for text command", "DATA"),
        ("did not like our data", "DATA"),
        ("in reply to rcpt to command", "RCPT"),
        ("after rcpt to", "RCPT"),
        ("error following rcpt command", "RCPT"),
        ("did not like our rcpt to", "RCPT"),
        ("most progress was rcpt to", "RCPT"),
        ("does not like recipient", "RCPT"),
        ("smtp command rcpt to", "RCPT"),
        ("[rcpt_to]", "RCPT"),
        ("in reply to mail from command", "MAIL"),
        ("after mail from", "MAIL"),
        ("did not like our mail from", "MAIL"),
        ("error following mail command", "MAIL"),
        ("but sender was rejected", "MAIL"),
        ("smtp command mail from", "MAIL"),
        ("[mail_from]", "MAIL"),
        ("after initial connection", "CONN"),
        ("in reply to helo command", "HELO"),
        ("in reply to ehlo command", "HELO"),
        ("after helo", "HELO"),
        ("after ehlo", "HELO"),
        ("but my name was rejected", "HELO"),
        ("did not like our greeting", "CONN"),
        ("refused to talk to me", "CONN"),
    ];

    private static readonly System.Buffers.SearchValues<string> AllPhrases =
        System.Buffers.SearchValues.Create(Phrases.Select(p => p.Phrase).ToArray(), StringComparison.Ordinal);

    /// <summary>Finds the command in already lower-cased, whitespace-collapsed text.</summary>
    public static string? Find(string? lowerText)
    {
        if (string.IsNullOrEmpty(lowerText))
        {
            return null;
        }

        var at = lowerText.AsSpan().IndexOfAny(AllPhrases);
        if (at >= 0)
        {
            var rest = lowerText.AsSpan(at);
            foreach (var (phrase, name) in Phrases)
            {
                if (rest.StartsWith(phrase, StringComparison.Ordinal))
                {
                    return name;
                }
            }
        }

        return FromTranscript(lowerText);
    }

    /// <summary>Sendmail/Courier transcripts: the last "&gt;&gt;&gt; COMMAND" before the first "&lt;&lt;&lt; 4xx/5xx" reply.</summary>
    private static string? FromTranscript(string text)
    {
        var reply = text.IndexOf("<<< 5", StringComparison.Ordinal);
        var temporary = text.IndexOf("<<< 4", StringComparison.Ordinal);
        if (reply < 0 || (temporary >= 0 && temporary < reply))
        {
            reply = temporary;
        }

        if (reply < 0)
        {
            return null;
        }

        var sent = text.LastIndexOf(">>> ", reply, StringComparison.Ordinal);
        if (sent < 0)
        {
            return null;
        }

        var command = text.AsSpan(sent + 4, Math.Min(10, reply - sent - 4));
        if (command.StartsWith("data", StringComparison.Ordinal) || command.StartsWith(".", StringComparison.Ordinal))
        {
            return "DATA";
        }

        if (command.StartsWith("rcpt", StringComparison.Ordinal))
        {
            return "RCPT";
        }

        if (command.StartsWith("mail", StringComparison.Ordinal))
        {
            return "MAIL";
        }

        return command.StartsWith("helo", StringComparison.Ordinal) || command.StartsWith("ehlo", StringComparison.Ordinal) ? "HELO" : null;
    }
}
