using System.Buffers;
using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>One message being interpreted: its headers, useful parts, human-readable text and returned original.</summary>
internal sealed class BounceContext
{
    /// <summary>All text parts together are cut at 40,000 characters (below the large object heap threshold).</summary>
    private const int MaxTextChars = 40_000;

    public BounceContext(MimeMessage message, MessageParts parts)
    {
        Message = message;
        Parts = parts;
        var joined = string.Join("\n", parts.Texts);
        if (joined.Length > MaxTextChars)
        {
            joined = joined[..MaxTextChars];
        }

        if (joined.Length == 0 && parts.DeliveryStatus is null && message.Body is null)
        {
            joined = string.Empty;
        }

        FullText = joined;
        var split = PastedOriginal.Split(joined, parts.OriginalFields is null, out var inlineFields);
        Text = joined[..split];
        var originalFields = parts.OriginalFields ?? inlineFields;
        Original = originalFields is null ? OriginalMessage.None : OriginalMessage.FromFields(originalFields);
        Subject = message.Headers[HeaderId.Subject] ?? string.Empty;
        From = OriginalMessage.Raw(message.Headers, HeaderId.From) ?? string.Empty;
    }

    /// <summary>The SMTP command the text says was refused, when it names one (DATA, RCPT, MAIL, HELO, CONN), in its first 8,192 characters.</summary>
    public string? Command => command ??= SmtpCommand.Find(ReasonClassifier.Normalise(Text)) ?? string.Empty;

    private string? command;

    private TextLayout? layout;

    /// <summary>The text split into lines, with the addresses that look like failed recipients (computed once).</summary>
    internal TextLayout Layout => layout ??= TextBounceReader.Analyse(this);

    public MimeMessage Message { get; }
    public MessageParts Parts { get; }

    /// <summary>The human-readable bounce text, without the returned original message.</summary>
    public string Text { get; }
    /// <summary>All human-readable text, including any pasted original message.</summary>
    public string FullText { get; }
    public OriginalMessage Original { get; }
    public string Subject { get; }
    public string From { get; }

    public bool IsReportType(string reportType)
    {
        var ct = Message.Body?.ContentType;
        return ct is not null && ct.IsMimeType("multipart", "report") &&
            string.Equals(ct.Parameters["report-type"], reportType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Addresses that are not failed recipients: the bounce's own From/To, where it was delivered (the sender's
    /// mailbox or its VERP return address, from delivery headers above the first Received), and the original's sender side.
    /// </summary>
    private static readonly HeaderId[] AddressHeaders = [HeaderId.From, HeaderId.To, HeaderId.ReturnPath, HeaderId.Sender, HeaderId.ReplyTo];

    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"];

    private HashSet<string>? nonRecipients;

    public HashSet<string> NonRecipientAddresses() => nonRecipients ??= CollectNonRecipientAddresses();

    private HashSet<string> CollectNonRecipientAddresses()
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in AddressHeaders)
        {
            var value = OriginalMessage.Raw(Message.Headers, id);
            if (value is not null)
            {
                foreach (var address in TextAddresses.Find(value))
                {
                    set.Add(address);
                }
            }
        }

        // Delivery headers are prepended where the bounce was delivered (RFC 5321 section 4.4 for Return-Path and
        // Received; Postfix local(8) prepends Delivered-To and X-Original-To the same way, Exim's envelope_to_add
        // Envelope-To), so they name the sender's mailbox only above the first Received header. Below it they are
        // part of what the bounce's author wrote: DragonFly's dma writes "X-Original-To: <failed address>" there.
        foreach (var header in Message.Headers)
        {
            if (header.Id == HeaderId.Received)
            {
                break;
            }

            if (EnvelopeHeaders.Contains(header.Field, StringComparer.OrdinalIgnoreCase))
            {
                set.UnionWith(TextAddresses.Find(OriginalMessage.Raw(header)));
            }
        }

        if (Original.Sender is not null)
        {
            set.Add(Original.Sender);
        }

        set.UnionWith(Original.SenderAddresses);

        return set;
    }

    /// <summary>
    /// Complaint reports that predate ARF (old Hotmail "complaint about message from IP" mails) or unsubscribe requests
    /// sent by mail clients ("Apple Mail sent this email to unsubscribe").
    /// </summary>
    public bool IsLegacyComplaint()
    {
        var subject = Subject.ToLowerInvariant();
        if (subject.Contains("complaint about message", StringComparison.Ordinal) || subject.Contains("abuse report", StringComparison.Ordinal))
        {
            return true;
        }

        return subject.Trim() == "unsubscribe" && Text.Contains("unsubscribe", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A person's reply (In-Reply-To or References, or a "Re:" subject) from someone who is not a mail system, with no
    /// report fields and no SMTP reply or enhanced status in its text: words like "could not be delivered" in it are a
    /// conversation, not a delivery report, and the addresses it names are not failed recipients.
    /// </summary>
    public bool IsPersonsReply()
    {
        if (LooksLikeBounceSender() || Parts.DeliveryStatus is not null || Message.Headers["X-Failed-Recipients"] is not null)
        {
            return false;
        }

        var subject = Subject.AsSpan().TrimStart();
        var reply = Message.InReplyTo is not null || Message.References.Count > 0 ||
            subject.StartsWith("re:", StringComparison.OrdinalIgnoreCase) || subject.StartsWith("aw:", StringComparison.OrdinalIgnoreCase);
        return reply && SmtpCodes.FindReplyCode(Text) is not (>= 400 and < 600) && SmtpCodes.FindStatus(Text) is null;
    }

    /// <summary>
    /// Challenge-response and whitelist-confirmation mail (Boxbe, TMDA, SpamArrest and the like): the recipient's filter
    /// asks the sender to prove they are a person. The message was not refused by a mail server, so it is not a bounce.
    /// </summary>
    public bool IsChallengeResponse()
    {
        var headers = Message.Headers;
        foreach (var header in headers)
        {
            if (header.Field.StartsWith("X-Boxbe", StringComparison.OrdinalIgnoreCase) || header.Field.Equals("X-Spam-Arrest", StringComparison.OrdinalIgnoreCase) ||
                (header.Field.Equals("X-Delivery-Agent", StringComparison.OrdinalIgnoreCase) && header.Value.Contains("TMDA", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        var from = From.ToLowerInvariant();
        if (from.Contains("boxbe.com", StringComparison.Ordinal) || from.Contains("spamarrest.com", StringComparison.Ordinal))
        {
            return true;
        }

        var head = Text.AsSpan(0, Math.Min(Text.Length, 4096));
        return head.ContainsAny(ChallengePhrases);
    }

    private static readonly System.Buffers.SearchValues<string> ChallengePhrases = System.Buffers.SearchValues.Create(
        ["approved sender list", "approved senders list", "verify that you are a real person", "prove that you are a human", "challenge-response",
            "added to my guest list", "waiting for your confirmation to be delivered", "whitelist request"],
        StringComparison.OrdinalIgnoreCase);

    public bool IsAutoReply()
    {
        if (LooksLikeBounceSender())
        {
            return false;
        }

        var headers = Message.Headers;
        var autoSubmitted = headers["Auto-Submitted"];
        if (autoSubmitted is not null && autoSubmitted.Contains("auto-replied", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (headers["X-Autoreply"] is not null || headers["X-Autorespond"] is not null || headers["X-Auto-Response-Suppress"] is not null && SubjectSaysAutoReply())
        {
            return true;
        }

        var precedence = headers["Precedence"];
        if (precedence is not null && precedence.Contains("auto_reply", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return SubjectSaysAutoReply();
    }

    private bool SubjectSaysAutoReply()
    {
        var subject = Subject.ToLowerInvariant();
        return subject.StartsWith("auto:", StringComparison.Ordinal) || subject.Contains("auto-reply", StringComparison.Ordinal) || subject.Contains("auto reply", StringComparison.Ordinal) ||
            subject.Contains("autoreply", StringComparison.Ordinal) || subject.Contains("automatic reply", StringComparison.Ordinal) ||
            subject.Contains("out of office", StringComparison.Ordinal) || subject.Contains("out of the office", StringComparison.Ordinal) ||
            subject.Contains("vacation", StringComparison.Ordinal) || subject.Contains("abwesenheit", StringComparison.Ordinal) ||
            subject.Contains("auto response", StringComparison.Ordinal) || subject.Contains("autoresponse", StringComparison.Ordinal) ||
            subject.Contains("réponse automatique", StringComparison.Ordinal) || subject.Contains("away from", StringComparison.Ordinal);
    }

    public bool LooksLikeBounceSender()
    {
        var from = From.ToLowerInvariant();
        return from.Contains("mailer-daemon", StringComparison.Ordinal) || from.Contains("postmaster", StringComparison.Ordinal) ||
            from.Contains("mail delivery", StringComparison.Ordinal) || from.Contains("mail administrator", StringComparison.Ordinal);
    }

    public bool LooksLikeBounce()
    {
        if (LooksLikeBounceSender() || Parts.DeliveryStatus is not null || Message.Headers["X-Failed-Recipients"] is not null)
        {
            return true;
        }

        var text = Text.AsSpan(0, Math.Min(Text.Length, 8192));
        return text.ContainsAny(BouncePhrases) || Subject.AsSpan().ContainsAny(BounceSubjectWords);
    }

    private static readonly SearchValues<string> BouncePhrases = SearchValues.Create(
        ["could not be delivered", "couldn't be delivered", "undeliverable", "delivery failed", "permanent error",
            "was not delivered", "not be delivered", "failed to deliver", "unable to deliver", "delivery to the following",
            "following address", "following recipient", "returned mail", "mailbox is full", "user unknown", "delivery has failed",
            "could not deliver", "did not reach", "error delivering", "message delivery", "delivery status notification",
            "non-delivery", "nondelivery", "has been rejected", "was rejected", "not delivered", "invalid user", "no such user",
            "送信できませんでした", "配信", "delivery error", "delivery failure", "smtp error", "remote host said",
            // The opening lines of the MTAs' bounce templates, which wrap the "could not be delivered" they go on to say:
            // Postfix bounce(8) "This is the mail system at host", Exim "created automatically by mail delivery software",
            // qmail-send "This is the qmail-send program", Sendmail "Transcript of session follows".
            "this is the mail system at host", "mail delivery software", "qmail-send program", "transcript of session follows",
            // fml mailing-list manager refusals (fml's own strings: "NOT MEMBER article from", "reject mail from").
            "not member article", "reject mail from", "spam mail from a spammer is rejected", "fml system error message"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> BounceSubjectWords = SearchValues.Create(
        ["undeliver", "delivery fail", "failure notice", "returned mail", "delivery status", "not delivered",
            "delivery problem", "could not be delivered", "mail delivery", "failed delivery", "non remis", "rejected",
            "undelivered", "nondeliverable", "non-deliverable", "delivery notification", "unzustellbar", "returned to sender",
            "error", "bounce", "delayed", "warning", "fail", "problem"],
        StringComparison.OrdinalIgnoreCase);
}
