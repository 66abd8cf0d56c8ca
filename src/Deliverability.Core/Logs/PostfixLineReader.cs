using Deliverability.Core.Bounces;

namespace Deliverability.Core.Logs;

/// <summary>
/// Reads Postfix log messages: smtp/lmtp/local/... deliveries ("QUEUEID: to=&lt;..&gt;, relay=.., dsn=.., status=.. (..)"),
/// qmgr senders and expiries, cleanup message ids, smtpd SASL logins and SASL failures.
/// </summary>
internal sealed class PostfixLineReader(MessageContextCache contexts)
{
    private readonly PostfixDeliveryReader _deliveries = new(contexts);

    public LineOutcome Read(LogLineHeader header, long lineNumber, List<MtaLogEntry> output, out string? problem)
    {
        problem = null;
        var program = header.Program;
        var daemon = program[(program.LastIndexOf('/') + 1)..];
        var instance = Instance(program);
        var message = header.Message.AsSpan();

        if (message.StartsWith("warning: ", StringComparison.Ordinal) && message.Contains(" authentication failed", StringComparison.Ordinal) &&
            message.Contains("SASL ", StringComparison.Ordinal))
        {
            return ReadSaslFailure(header, lineNumber, instance, message[9..], output, out problem);
        }

        var colon = message.IndexOf(": ");
        if (colon <= 0 || !IsQueueId(message[..colon]))
        {
            return LooksLikeDelivery(message) ? Unreadable("no queue id before to=<...>", out problem) : LineOutcome.Skipped;
        }

        var queueId = message[..colon].ToString();
        var rest = message[(colon + 2)..];
        if (rest.StartsWith("to=<", StringComparison.Ordinal))
        {
            return _deliveries.Read(header, lineNumber, instance, daemon, queueId, rest, output, out problem);
        }

        if (rest.StartsWith("from=<", StringComparison.Ordinal))
        {
            return ReadFrom(header, lineNumber, instance, queueId, rest, output);
        }

        if (rest.StartsWith("message-id=", StringComparison.Ordinal))
        {
            var id = rest[11..].Trim().Trim("<>");
            if (!id.IsEmpty)
            {
                contexts.GetOrAdd(queueId).MessageId = id.ToString();
            }

            return LineOutcome.Skipped;
        }

        if (rest.StartsWith("client=", StringComparison.Ordinal))
        {
            return ReadClient(header, lineNumber, instance, queueId, rest, output);
        }

        if (rest.SequenceEqual("removed"))
        {
            contexts.Forget(queueId);
        }

        return LineOutcome.Skipped;
    }

    private LineOutcome ReadFrom(LogLineHeader header, long lineNumber, string instance, string queueId, ReadOnlySpan<char> rest, List<MtaLogEntry> output)
    {
        var close = rest.IndexOf('>');
        var sender = close > 6 ? SmtpCodes.CleanAddress(rest[6..close]) : null;
        var context = contexts.GetOrAdd(queueId);
        context.Sender ??= sender;
        if (!rest.Contains("status=expired", StringComparison.Ordinal))
        {
            return LineOutcome.Skipped;
        }

        // qmgr: "QUEUEID: from=<s@example.com>, status=expired, returned to sender": one verdict per recipient still deferred.
        foreach (var deferred in context.Deferred.Values.OrderBy(d => d.LineNumber))
        {
            output.Add(deferred with
            {
                LineNumber = lineNumber,
                Time = header.Time,
                Host = header.Host,
                Program = header.Program,
                Instance = instance,
                Sender = deferred.Sender ?? context.Sender,
                Status = DeliveryStatus.Expired,
            });
        }

        contexts.ForgetDeferrals(context);
        return output.Count > 0 ? LineOutcome.Read : LineOutcome.Skipped;
    }

    private LineOutcome ReadClient(LogLineHeader header, long lineNumber, string instance, string queueId, ReadOnlySpan<char> rest, List<MtaLogEntry> output)
    {
        // smtpd: "QUEUEID: client=host[ip], sasl_method=PLAIN, sasl_username=alice[, sasl_sender=...]"
        string? client = null;
        string? method = null;
        string? user = null;
        foreach (var range in rest.Split(", "))
        {
            var part = rest[range];
            if (part.StartsWith("client=", StringComparison.Ordinal))
            {
                client = part[7..].ToString();
            }
            else if (part.StartsWith("sasl_method=", StringComparison.Ordinal))
            {
                method = part[12..].ToString();
            }
            else if (part.StartsWith("sasl_username=", StringComparison.Ordinal))
            {
                user = part[14..].ToString();
            }
        }

        if (string.IsNullOrEmpty(user))
        {
            return LineOutcome.Skipped;
        }

        contexts.GetOrAdd(queueId).SubmittedBy = user;
        var (host, ip) = client is null ? (null, null) : HostAddress.Parse(client);
        output.Add(new LoginAttempt
        {
            LineNumber = lineNumber,
            Time = header.Time,
            Mta = MtaKind.Postfix,
            Host = header.Host,
            Program = header.Program,
            Instance = instance,
            QueueId = queueId,
            User = user,
            ClientHost = host,
            ClientIp = ip,
            Method = method,
            Succeeded = true,
        });
        return LineOutcome.Read;
    }

    private static LineOutcome ReadSaslFailure(LogLineHeader header, long lineNumber, string instance, ReadOnlySpan<char> text, List<MtaLogEntry> output,
        out string? problem)
    {
        // "unknown[198.51.100.7]: SASL LOGIN authentication failed: UGFzc3dvcmQ6[, sasl_username=alice]"
        problem = null;
        var sasl = text.IndexOf(": SASL ");
        if (sasl <= 0)
        {
            return Unreadable("no client before SASL", out problem);
        }

        var (host, ip) = HostAddress.Parse(text[..sasl]);
        var after = text[(sasl + 7)..];
        var space = after.IndexOf(' ');
        var method = space > 0 ? after[..space].ToString() : null;
        string? user = null;
        string? detail = null;
        var failed = after.IndexOf("authentication failed");
        if (failed >= 0)
        {
            var reason = after[(failed + "authentication failed".Length)..].TrimStart(':').Trim();
            var userAt = reason.IndexOf("sasl_username=");
            if (userAt >= 0)
            {
                user = reason[(userAt + 14)..].Trim().ToString();
                reason = reason[..userAt].TrimEnd(", ");
            }

            detail = reason.IsEmpty ? null : reason.ToString();
        }

        output.Add(new LoginAttempt
        {
            LineNumber = lineNumber,
            Time = header.Time,
            Mta = MtaKind.Postfix,
            Host = header.Host,
            Program = header.Program,
            Instance = instance,
            User = string.IsNullOrEmpty(user) ? null : user,
            ClientHost = host,
            ClientIp = ip,
            Method = method,
            Succeeded = false,
            Detail = detail,
        });
        return LineOutcome.Read;
    }

    private static string Instance(string program)
    {
        var slash = program.IndexOf('/');
        return slash > 0 ? program[..slash] : program;
    }

    /// <summary>Short (hex) and long (base-52 with 'z') Postfix queue ids.</summary>
    private static bool IsQueueId(ReadOnlySpan<char> text)
    {
        if (text.Length is < 5 or > 20)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool LooksLikeDelivery(ReadOnlySpan<char> message) =>
        message.Contains("to=<", StringComparison.Ordinal) && message.Contains("status=", StringComparison.Ordinal);

    internal static LineOutcome Unreadable(string why, out string? problem)
    {
        problem = why;
        return LineOutcome.Unreadable;
    }
}
