using Deliverability.Core.Bounces;

namespace Deliverability.Core.Logs;

/// <summary>
/// Reads the Postfix delivery lines of smtp/lmtp/local/...: "QUEUEID: to=&lt;..&gt;, relay=.., dsn=.., status=.. (..)", into a
/// <see cref="DeliveryAttempt"/> with what the queue's earlier lines said (sender, message id, who submitted it).
/// </summary>
internal sealed class PostfixDeliveryReader(MessageContextCache contexts)
{
    public LineOutcome Read(LogLineHeader header, long lineNumber, string instance, string daemon, string queueId, ReadOnlySpan<char> rest,
        List<MtaLogEntry> output, out string? problem)
    {
        problem = null;
        string? recipient = null;
        string? relay = null;
        string? dsn = null;
        string? statusWord = null;
        var detail = ReadOnlySpan<char>.Empty;
        var at = 0;
        while (at < rest.Length)
        {
            var eq = rest[at..].IndexOf('=');
            if (eq < 0)
            {
                break;
            }

            var key = rest.Slice(at, eq);
            at += eq + 1;
            ReadOnlySpan<char> value;
            if (key.SequenceEqual("status"))
            {
                var space = rest[at..].IndexOf(' ');
                value = space < 0 ? rest[at..] : rest.Slice(at, space);
                statusWord = value.ToString();
                detail = space < 0 ? [] : rest[(at + space + 1)..];
                break;
            }

            if (at < rest.Length && rest[at] == '<')
            {
                var close = rest[at..].IndexOf('>');
                if (close < 0)
                {
                    return PostfixLineReader.Unreadable("unterminated <address>", out problem);
                }

                value = rest.Slice(at + 1, close - 1);
                at += close + 1;
            }
            else
            {
                var comma = rest[at..].IndexOf(", ");
                value = comma < 0 ? rest[at..] : rest.Slice(at, comma);
                at += value.Length;
            }

            if (at < rest.Length && rest[at] == ',')
            {
                at++;
            }

            while (at < rest.Length && rest[at] == ' ')
            {
                at++;
            }

            if (key.SequenceEqual("to"))
            {
                recipient = value.ToString();
            }
            else if (key.SequenceEqual("relay"))
            {
                relay = value.ToString();
            }
            else if (key.SequenceEqual("dsn"))
            {
                dsn = value.ToString();
            }
        }

        if (string.IsNullOrWhiteSpace(recipient))
        {
            return PostfixLineReader.Unreadable("no recipient in to=<...>", out problem);
        }

        if (statusWord is null)
        {
            return PostfixLineReader.Unreadable("no status=", out problem);
        }

        DeliveryStatus status;
        switch (statusWord.ToLowerInvariant())
        {
            case "sent":
                status = DeliveryStatus.Sent;
                break;
            case "deferred" or "softbounce":
                status = DeliveryStatus.Deferred;
                break;
            case "bounced":
                status = DeliveryStatus.Bounced;
                break;
            case "expired":
                status = DeliveryStatus.Expired;
                break;
            case "deliverable" or "undeliverable":
                // Address verification probes (verify(8)), not deliveries.
                return LineOutcome.Skipped;
            default:
                return PostfixLineReader.Unreadable($"unknown status '{statusWord}'", out problem);
        }

        var (relayHost, relayIp) = relay is null ? (null, null) : HostAddress.Parse(relay);
        var (reply, context, textHost, textIp) = SplitDetail(detail);
        relayHost ??= textHost;
        relayIp ??= textIp;

        var known = contexts.Find(queueId);
        var address = SmtpCodes.CleanAddress(recipient) ?? recipient.ToLowerInvariant();
        var outcome = DeliveryOutcomeClassifier.Classify(status, address, relayHost, dsn, reply, context);
        var attempt = new DeliveryAttempt
        {
            LineNumber = lineNumber,
            Time = header.Time,
            Mta = MtaKind.Postfix,
            Host = header.Host,
            Program = header.Program,
            Instance = instance,
            QueueId = queueId,
            Recipient = address,
            Sender = known?.Sender,
            MessageId = known?.MessageId,
            SubmittedBy = known?.SubmittedBy,
            Transport = daemon,
            RelayHost = relayHost,
            RelayIp = relayIp,
            Status = status,
            Dsn = outcome.Dsn,
            Reply = outcome.Reply,
            ReplyCode = outcome.ReplyCode,
            Command = outcome.Command,
            Provider = outcome.Provider,
            ProviderCode = outcome.ProviderCode,
            Reason = outcome.Reason,
            IsMicrosoftBlock = outcome.IsMicrosoftBlock,
        };
        output.Add(attempt);

        if (status == DeliveryStatus.Deferred)
        {
            contexts.RememberDeferral(queueId, attempt);
        }
        else if (known is not null)
        {
            contexts.ForgetDeferral(known, address);
        }

        return LineOutcome.Read;
    }

    /// <summary>
    /// Splits "(host X[ip] said: 550 5.7.1 ... (in reply to MAIL FROM command))" into the reply and its context, and picks up
    /// the server named in "connect to X[ip]:25: ...", "lost connection with X[ip] while ...", "conversation with X[ip] timed out ...".
    /// </summary>
    private static (string? Reply, string? Context, string? Host, System.Net.IPAddress? Ip) SplitDetail(ReadOnlySpan<char> detail)
    {
        detail = detail.Trim();
        if (detail.IsEmpty)
        {
            return (null, null, null, null);
        }

        if (detail[0] == '(')
        {
            detail = detail[1..];
            if (detail.Length > 0 && detail[^1] == ')')
            {
                detail = detail[..^1];
            }
        }

        string? context = null;
        const string Suspended = "delivery temporarily suspended: ";
        if (detail.StartsWith(Suspended, StringComparison.Ordinal))
        {
            // A remembered failure of the destination, e.g. "delivery temporarily suspended: host X[ip] refused to talk to me: 421 ...".
            detail = detail[Suspended.Length..];
            context = "delivery temporarily suspended";
        }

        var inReply = detail.LastIndexOf(" (in reply to ");
        if (inReply > 0)
        {
            context = detail[(inReply + 2)..].TrimEnd(')').ToString() + (context is null ? "" : " " + context);
            detail = detail[..inReply];
        }

        string? host = null;
        System.Net.IPAddress? ip = null;
        if (detail.StartsWith("host ", StringComparison.Ordinal))
        {
            var said = detail.IndexOf(" said: ");
            if (said > 0)
            {
                (host, ip) = HostAddress.Parse(detail[5..said]);
                return (detail[(said + 7)..].ToString(), context, host, ip);
            }

            var refused = detail.IndexOf(" refused to talk to me: ");
            if (refused > 0)
            {
                (host, ip) = HostAddress.Parse(detail[5..refused]);
                return (detail[(refused + 24)..].ToString(), "refused to talk to me" + (context is null ? "" : " " + context), host, ip);
            }
        }

        foreach (var lead in (ReadOnlySpan<string>)["connect to ", "lost connection with ", "conversation with "])
        {
            if (detail.StartsWith(lead, StringComparison.Ordinal))
            {
                var after = detail[lead.Length..];
                var end = after.IndexOf(']');
                if (end > 0)
                {
                    (host, ip) = HostAddress.Parse(after[..(end + 1)]);
                }

                break;
            }
        }

        return (detail.ToString(), context, host, ip);
    }
}
