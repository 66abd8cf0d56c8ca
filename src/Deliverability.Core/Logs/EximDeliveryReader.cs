using System.Net;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Logs;

/// <summary>
/// Reads the Exim delivery lines ("=&gt;"/"-&gt;" deliveries, "**" bounces, "==" deferrals) into a <see cref="DeliveryAttempt"/>
/// with what the message's arrival line said (sender, message id, who submitted it).
/// </summary>
internal sealed class EximDeliveryReader(MessageContextCache contexts)
{
    private const string RemoteErrorLead = "SMTP error from remote mail server after ";

    public LineOutcome Read(LogLineHeader header, long lineNumber, string instance, string queueId, DeliveryStatus status, ReadOnlySpan<char> rest,
        List<MtaLogEntry> output, out string? problem)
    {
        problem = null;
        var fields = rest;
        var text = ReadOnlySpan<char>.Empty;
        if (status != DeliveryStatus.Sent)
        {
            // The error follows the first ": " (X=TLS1.3:... and [ip]:port have no space after their colons).
            var split = rest.IndexOf(": ");
            if (split < 0 && rest.Length > 0 && rest[^1] == ':')
            {
                split = rest.Length - 1;
            }

            if (split >= 0)
            {
                fields = rest[..split];
                text = split + 2 <= rest.Length ? rest[(split + 2)..].Trim() : [];
            }
        }

        var tokens = new EximFields(fields);
        var first = tokens.Next();
        var recipient = first.IsEmpty ? null : SmtpCodes.CleanAddress(first);
        if (recipient is null)
        {
            problem = first.IsEmpty ? "no recipient" : "recipient is not an address";
            return LineOutcome.Unreadable;
        }

        string? transport = null;
        string? relayHost = null;
        IPAddress? relayIp = null;
        IPAddress? localIp = null;
        string? confirmation = null;
        string? loggedSender = null;
        for (var token = tokens.Next(); !token.IsEmpty; token = tokens.Next())
        {
            if (token.StartsWith("T=", StringComparison.Ordinal))
            {
                transport = token[2..].ToString();
            }
            else if (token.StartsWith("H=", StringComparison.Ordinal))
            {
                var host = token[2..];
                if (host.StartsWith("[", StringComparison.Ordinal))
                {
                    relayIp = HostAddress.ParseIp(host);
                }
                else
                {
                    relayHost = host.ToString().ToLowerInvariant();
                    var next = tokens.Peek();
                    if (next.StartsWith("[", StringComparison.Ordinal))
                    {
                        relayIp = HostAddress.ParseIp(tokens.Next());
                    }
                }
            }
            else if (token.StartsWith("I=", StringComparison.Ordinal))
            {
                localIp = HostAddress.ParseIp(token[2..]);
            }
            else if (token.StartsWith("F=", StringComparison.Ordinal))
            {
                // log_selector +sender_on_delivery: "F=<alice@example.com>".
                var from = token[2..].Trim("<>");
                loggedSender = from.IsEmpty ? null : SmtpCodes.CleanAddress(from);
            }
            else if (token.StartsWith("C=", StringComparison.Ordinal))
            {
                confirmation = token[2..].Trim('"').ToString();
            }
        }

        if (status == DeliveryStatus.Bounced && text.Contains("retry timeout exceeded", StringComparison.OrdinalIgnoreCase))
        {
            status = DeliveryStatus.Expired;
        }

        string? reply;
        string? context = null;
        if (status == DeliveryStatus.Sent)
        {
            reply = confirmation;
        }
        else if (text.StartsWith(RemoteErrorLead, StringComparison.Ordinal))
        {
            // "SMTP error from remote mail server after RCPT TO:<a@hotmail.com>: 550 5.7.1 ..."
            var after = text[RemoteErrorLead.Length..];
            var colon = after.IndexOf(": ");
            context = "after " + (colon < 0 ? after : after[..colon]).ToString();
            reply = colon < 0 ? null : after[(colon + 2)..].ToString();
        }
        else
        {
            reply = text.IsEmpty ? null : text.ToString();
        }

        var known = contexts.Find(queueId);
        var outcome = DeliveryOutcomeClassifier.Classify(status, recipient, relayHost ?? relayIp?.ToString(), null, reply, context);
        output.Add(new DeliveryAttempt
        {
            LineNumber = lineNumber,
            Time = header.Time,
            Mta = MtaKind.Exim,
            Host = header.Host,
            Program = header.Program,
            Instance = instance,
            QueueId = queueId,
            Recipient = recipient,
            Sender = known?.Sender ?? loggedSender,
            MessageId = known?.MessageId,
            SubmittedBy = known?.SubmittedBy,
            Transport = transport,
            RelayHost = relayHost,
            RelayIp = relayIp,
            LocalIp = localIp,
            Status = status,
            Dsn = outcome.Dsn,
            Reply = outcome.Reply,
            ReplyCode = outcome.ReplyCode,
            Command = outcome.Command,
            Provider = outcome.Provider,
            ProviderCode = outcome.ProviderCode,
            Reason = outcome.Reason,
            IsMicrosoftBlock = outcome.IsMicrosoftBlock,
        });
        return LineOutcome.Read;
    }
}
