namespace Deliverability.Core.Bounces;

/// <summary>Completes what a reader found for one recipient: codes, reason, provider, sending IP and original message facts.</summary>
internal static class ResultBuilder
{
    public static RecipientResult Build(RawRecipient raw, BounceContext context)
    {
        var diagnostic = raw.Diagnostic;
        var supplemented = false;
        // An X-Unix diagnostic is a program's exit status ("X-Unix; 255"), never an SMTP reply.
        if (string.IsNullOrWhiteSpace(diagnostic) ||
            ((IsProgramExit(raw.DiagnosticType) || SmtpCodes.FindReplyCode(diagnostic) is null) && SmtpCodes.FindStatus(diagnostic) is null && diagnostic.Length < 20))
        {
            var (fromText, aboutRecipient) = TextBounceReader.DiagnosticFor(context, raw.Recipient);
            if (!string.IsNullOrWhiteSpace(fromText))
            {
                diagnostic = string.IsNullOrWhiteSpace(diagnostic) ? fromText : diagnostic + " " + fromText;
                // Text that does not name the recipient may explain another one's failure, unless the report has only one.
                supplemented = raw.Status is not null && !aboutRecipient && !raw.SoleRecipient;
            }
        }

        diagnostic = Tidy(diagnostic);
        var replyCode = raw.ReplyCode ?? (diagnostic is null || IsProgramExit(raw.DiagnosticType) ? null : SmtpCodes.FindRemoteReplyCode(diagnostic));
        if (replyCode is null && diagnostic is not null && IsProgramExit(raw.DiagnosticType) && SmtpCodes.FindStatus(diagnostic) is { } exitStatus)
        {
            // Sendmail's "X-Unix; 71 451 4.0.0 Operating system error": the exit status comes first, the reply sits
            // right before the enhanced status.
            replyCode = ReplyCodeNextTo(diagnostic, exitStatus);
        }

        var status = raw.Status;
        var diagnosticStatus = diagnostic is null ? null : SmtpCodes.FindRemoteStatus(diagnostic);
        var umbrella = status is "4.4.7" or "5.4.7" or "5.0.0" or "4.0.0" || (status is not null && status.EndsWith(".0.0", StringComparison.Ordinal));
        if (diagnosticStatus is not null && (status is null || (umbrella && !supplemented && status[0] == diagnosticStatus[0])) && !SmtpCodes.IsGeneric(diagnosticStatus))
        {
            status = diagnosticStatus;
        }

        status ??= diagnosticStatus;
        if (status is not null && diagnosticStatus is not null && status != diagnosticStatus && !supplemented && status[0] == diagnosticStatus[0] &&
            !IsUmbrella(diagnosticStatus) && diagnostic is not null && StartsWithReply(diagnostic, diagnosticStatus))
        {
            // The remote server's own words ("550 5.7.1 ...") are more precise than the status the local MTA chose.
            status = diagnosticStatus;
        }

        if (replyCode is null && status is not null && status[0] != '2')
        {
            replyCode = ReplyCodeNextTo(context.Text, status);
        }
        if (supplemented && replyCode is not null && status is not null && replyCode / 100 != status[0] - '0')
        {
            // The text explained another recipient's failure; don't borrow its reply code.
            replyCode = null;
        }

        if (replyCode is not null && status is not null && replyCode / 100 != status[0] - '0' && status[0] != '2')
        {
            // A 4xx reply with a 5.x.x status (or the reverse) is contradictory; trust the reply that came from the wire.
            if (diagnosticStatus is not null && diagnosticStatus[0] - '0' == replyCode / 100)
            {
                status = diagnosticStatus;
            }
        }

        var action = raw.Action;
        if (action is null or "")
        {
            action = status?[0] switch
            {
                '5' => "failed",
                '4' => "delayed",
                '2' => BounceReasons.Delivered,
                _ => replyCode is >= 500 ? "failed" : replyCode is >= 400 ? "delayed" : "failed",
            };
        }

        if (replyCode is >= 200 and < 300 && status is [ '4' or '5', ..] && diagnostic is not null)
        {
            // "220-laposte 421 4.2.1 ...": the greeting banner is not the reply that refused the message.
            replyCode = ReplyCodeNextTo(diagnostic, status) ?? replyCode;
        }

        var command = SmtpCommand.Find(ReasonClassifier.Normalise(diagnostic)) ?? (context.Command is { Length: > 0 } c ? c : null);
        var (provider, providerCode) = ProviderDetector.Detect(raw.Recipient, raw.RemoteMta, diagnostic, status);
        provider ??= ProviderDetector.FromReportingMta(raw.Recipient, raw.ReportingMta, raw.RemoteMta, diagnostic);
        // A text bounce without Received headers names its author only in From: a gateway's own mailer-daemon refused.
        provider ??= raw.ReportingMta is null ? ProviderDetector.FromReportingMta(raw.Recipient, MailerDaemonHost(context.Message), raw.RemoteMta, diagnostic, gatewaysOnly: true) : null;
        var reason = raw.Reason ?? ReasonClassifier.Classify(status, replyCode, diagnostic, action, command, provider);
        if (raw.Reason is null && raw.DiagnosticType is { } type && type.Equals("x-unix", StringComparison.OrdinalIgnoreCase) &&
            reason is not (BounceReasons.MailboxFull or BounceReasons.MesgTooBig or BounceReasons.Suspend or BounceReasons.UserUnknown or BounceReasons.Filtered))
        {
            // A local delivery program (procmail, a pipe) failed.
            reason = BounceReasons.MailerError;
        }

        if (raw.Reason is null && reason is BounceReasons.SpamDetected or BounceReasons.PolicyViolation or BounceReasons.SecurityError or BounceReasons.ContentError &&
            context.FullText.AsSpan(0, Math.Min(context.FullText.Length, 16384)).ContainsAny(MalformedHeaderPhrases))
        {
            // Content filters (Amavis) give a generic verdict in the DSN and name the malformed header in the prose.
            reason = BounceReasons.NotCompliantRfc;
        }

        if (raw.Reason is null && Providers.ReceiverCatalog.Find(provider)?.NoticeHeadlines is not null &&
            Providers.ReceiverCatalog.HeadlineReasonFor(provider, HeadOfNotice(context)) is { } headline)
        {
            // The receiver's own bounce says once, above the recipients, why they failed (au's "The user(s) account is
            // disabled."): that is more than the bare "550 user unknown" it quotes under it.
            reason = headline;
        }

        if (raw.Reason is null && raw.Recipient.EndsWith("@googlegroups.com", StringComparison.Ordinal) && replyCode is null)
        {
            // Google Groups refuses posts from non-members in prose, in the sender's language: the sender is not allowed.
            reason = BounceReasons.Rejected;
        }
        var kind = raw.Kind ?? action switch
        {
            "delivered" or "relayed" or "expanded" => BounceKind.Delivered,
            "delayed" => BounceKind.Delay,
            _ => BounceKind.Bounce,
        };

        if (raw.Reason is null && provider is not null and not "gmail" && providerCode is not null &&
            Providers.ProviderCodeCatalog.Find(provider, providerCode) is { } known)
        {
            // The provider's own code says more than any phrase.
            reason = known.Reason;
        }
        var (ip, ipSource) = raw.SendingIp is not null ? (raw.SendingIp, raw.SendingIpSource) : SendingIpFinder.Find(diagnostic, raw.RemoteMta);
        var sender = context.Original.Sender;
        return new RecipientResult
        {
            Recipient = raw.Recipient,
            OriginalRecipient = raw.OriginalRecipient,
            Action = action,
            Status = status,
            ReplyCode = replyCode,
            Diagnostic = diagnostic,
            RemoteMta = raw.RemoteMta,
            ReportingMta = raw.ReportingMta,
            Reason = reason,
            HardBounce = kind == BounceKind.Bounce && ReasonClassifier.IsHardBounce(reason),
            Kind = kind,
            Provider = provider,
            ProviderCode = providerCode,
            SendingIp = ip,
            SendingIpSource = ipSource,
            Sender = sender,
            SenderDomain = sender is null ? null : sender[(sender.LastIndexOf('@') + 1)..],
            OriginalMessageId = context.Original.MessageId,
            Dkim = context.Original.Dkim,
            ArrivalDate = raw.ArrivalDate,
            AttemptedAt = raw.AttemptedAt,
            FeedbackType = raw.FeedbackType,
        };
    }

    /// <summary>
    /// Multi-line replies repeat their code on every line ("550-5.7.1 ... 550-5.7.1 ... 550 5.7.1 ..."); once joined,
    /// those repeats split phrases apart. Keep the first prefix and drop the others.
    /// </summary>
    private static string DropContinuationPrefixes(string text)
    {
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]) || text[3] is not ('-' or ' '))
        {
            return text;
        }

        var code = text[..3];
        var status = SmtpCodes.FindStatus(text.AsSpan(4, Math.Min(12, text.Length - 4)));
        var rest = text[4..];
        foreach (var separator in new[] { '-', ' ' })
        {
            if (status is not null)
            {
                rest = rest.Replace($" {code}{separator}{status} ", " ", StringComparison.Ordinal);
            }

            rest = rest.Replace($" {code}{separator}", " ", StringComparison.Ordinal);
        }

        return text[..4] + rest;
    }

    private static readonly System.Buffers.SearchValues<string> MalformedHeaderPhrases = System.Buffers.SearchValues.Create(
        ["duplicate header", "multiple addresses in from", "multiple from", "not rfc compliant", "not rfc 5322 compliant"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>The first 2 KB of the bounce's own text, lower-cased: where a notice's headline stands.</summary>
    private static string HeadOfNotice(BounceContext context) =>
        ReasonClassifier.Normalise(context.Text.AsSpan(0, Math.Min(context.Text.Length, 2048)));

    private static bool IsProgramExit(string? diagnosticType) => diagnosticType is not null && diagnosticType.Equals("x-unix", StringComparison.OrdinalIgnoreCase);

    private static bool IsUmbrella(string status) => status is "4.4.7" or "5.4.7" || status.EndsWith(".0.0", StringComparison.Ordinal);

    private static bool StartsWithReply(string diagnostic, string status) =>
        diagnostic.Length > 5 + status.Length && char.IsAsciiDigit(diagnostic[0]) && diagnostic[3] is ' ' or '-' &&
        diagnostic.AsSpan(4).StartsWith(status, StringComparison.Ordinal);

    /// <summary>"... returned '550 5.1.1 RESOLVER...'": the reply code written right before the status, anywhere in the text.</summary>
    private static int? ReplyCodeNextTo(string text, string status)
    {
        var at = text.IndexOf(" " + status, StringComparison.Ordinal);
        while (at >= 3)
        {
            var code = text.AsSpan(at - 3, 3);
            if (code[0] == status[0] && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2]) && (at < 4 || !char.IsAsciiDigit(text[at - 4])))
            {
                return int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
            }

            at = text.IndexOf(" " + status, at + 1, StringComparison.Ordinal);
        }

        return null;
    }

    /// <summary>Collapses whitespace, drops repeated multi-line reply prefixes and caps the length; null for blank text.</summary>
    public static string? Tidy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var collapsed = ReasonClassifier.NormaliseKeepCase(text);
        collapsed = DropContinuationPrefixes(collapsed);
        return collapsed.Length > 2000 ? collapsed[..2000] : collapsed;
    }

    /// <summary>
    /// The host of the bounce's author when it is the mail system itself ("MAILER-DAEMON@cluster3.eu.messagelabs.com"):
    /// a text bounce without Received headers names its reporting MTA only there.
    /// </summary>
    private static string? MailerDaemonHost(MimeKit.MimeMessage message)
    {
        if (message.From.Mailboxes.FirstOrDefault() is not { } from || from.Domain is not { Length: > 0 } domain)
        {
            return null;
        }

        return from.LocalPart.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || from.LocalPart.Equals("postmaster", StringComparison.OrdinalIgnoreCase)
            ? domain
            : null;
    }
}
