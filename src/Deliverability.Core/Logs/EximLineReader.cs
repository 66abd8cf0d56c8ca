using System.Net;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Logs;

/// <summary>
/// Reads Exim main-log messages: "&lt;=" arrivals (sender, A= logins, U= local users), "=&gt;"/"-&gt;" deliveries, "**" bounces,
/// "==" deferrals, and "authenticator failed" login failures.
/// </summary>
internal sealed class EximLineReader(MessageContextCache contexts)
{
    private readonly EximDeliveryReader _deliveries = new(contexts);

    public LineOutcome Read(LogLineHeader header, long lineNumber, List<MtaLogEntry> output, out string? problem)
    {
        problem = null;
        var message = header.Message.AsSpan();
        var instance = header.Program.Split('/')[0];
        var failed = message.IndexOf(" authenticator failed for ");
        if (failed > 0)
        {
            return ReadLoginFailure(header, lineNumber, instance, message, failed, output);
        }

        var space = message.IndexOf(' ');
        if (space <= 0 || !IsMessageId(message[..space]) || message.Length < space + 4)
        {
            return LineOutcome.Skipped;
        }

        var queueId = message[..space].ToString();
        var marker = message.Slice(space + 1, 2);
        var rest = message.Length > space + 4 ? message[(space + 4)..] : [];
        DeliveryStatus status;
        switch (marker)
        {
            case "<=":
                return ReadArrival(header, lineNumber, instance, queueId, rest, output);
            case "=>" or "->":
                status = DeliveryStatus.Sent;
                break;
            case "**":
                status = DeliveryStatus.Bounced;
                break;
            case "==":
                status = DeliveryStatus.Deferred;
                break;
            default:
                return LineOutcome.Skipped;
        }

        if (message[space + 3] != ' ')
        {
            return LineOutcome.Skipped;
        }

        return _deliveries.Read(header, lineNumber, instance, queueId, status, rest, output, out problem);
    }

    private LineOutcome ReadArrival(LogLineHeader header, long lineNumber, string instance, string queueId, ReadOnlySpan<char> rest, List<MtaLogEntry> output)
    {
        // "<= alice@example.com H=client.example.net [198.51.100.7]:50000 I=[203.0.113.5]:587 P=esmtpsa X=... A=plain:alice S=1234 id=..."
        var tokens = new EximFields(rest);
        var senderToken = tokens.Next();
        var sender = senderToken.SequenceEqual("<>") ? null : SmtpCodes.CleanAddress(senderToken);
        string? clientHost = null;
        IPAddress? clientIp = null;
        string? localUser = null;
        string? authenticator = null;
        string? user = null;
        string? messageId = null;
        for (var token = tokens.Next(); !token.IsEmpty; token = tokens.Next())
        {
            if (token.StartsWith("H=", StringComparison.Ordinal))
            {
                var host = token[2..];
                if (host.StartsWith("[", StringComparison.Ordinal))
                {
                    clientIp = HostAddress.ParseIp(host);
                    continue;
                }

                // "H=(helo) [ip]": no reverse DNS name, only the HELO name in parentheses.
                clientHost = host.StartsWith("(", StringComparison.Ordinal) ? null : host.ToString().ToLowerInvariant();
                // "H=name (helo) [ip]": skip the HELO name in parentheses.
                while (tokens.Peek() is { IsEmpty: false } next && !next.StartsWith("[", StringComparison.Ordinal) && !next.Contains('='))
                {
                    tokens.Next();
                }

                if (tokens.Peek().StartsWith("[", StringComparison.Ordinal))
                {
                    clientIp = HostAddress.ParseIp(tokens.Next());
                }
            }
            else if (token.StartsWith("U=", StringComparison.Ordinal))
            {
                localUser = token[2..].ToString();
            }
            else if (token.StartsWith("A=", StringComparison.Ordinal))
            {
                var value = token[2..];
                var colon = value.IndexOf(':');
                authenticator = (colon < 0 ? value : value[..colon]).ToString();
                user = colon < 0 ? null : value[(colon + 1)..].ToString();
            }
            else if (token.StartsWith("id=", StringComparison.Ordinal))
            {
                messageId = token[3..].Trim("<>").ToString();
            }
        }

        var context = contexts.GetOrAdd(queueId);
        context.Sender = sender;
        context.MessageId = messageId;
        context.SubmittedBy = user ?? localUser;
        if (authenticator is null)
        {
            return LineOutcome.Skipped;
        }

        output.Add(new LoginAttempt
        {
            LineNumber = lineNumber,
            Time = header.Time,
            Mta = MtaKind.Exim,
            Host = header.Host,
            Program = header.Program,
            Instance = instance,
            QueueId = queueId,
            User = user,
            ClientHost = clientHost,
            ClientIp = clientIp,
            Method = authenticator,
            Succeeded = true,
        });
        return LineOutcome.Read;
    }

    private static LineOutcome ReadLoginFailure(LogLineHeader header, long lineNumber, string instance, ReadOnlySpan<char> message, int failed,
        List<MtaLogEntry> output)
    {
        // "login authenticator failed for client.example.net (helo) [198.51.100.7]:54321 I=[203.0.113.5]:587: 535 Incorrect authentication data (set_id=alice)"
        var before = message[..failed];
        var method = before[(before.LastIndexOf(' ') + 1)..].ToString();
        var after = message[(failed + " authenticator failed for ".Length)..];
        if (after.StartsWith("H=", StringComparison.Ordinal))
        {
            after = after[2..];
        }

        var open = after.IndexOf('[');
        var close = open < 0 ? -1 : after[open..].IndexOf(']');
        var clientIp = close > 0 ? HostAddress.ParseIp(after.Slice(open, close + 1)) : null;
        var name = (open > 0 ? after[..open] : after).Trim();
        var paren = name.IndexOf('(');
        var clientHost = paren == 0 || name.IsEmpty ? null : (paren > 0 ? name[..paren] : name).Trim().ToString().ToLowerInvariant();

        string? user = null;
        var setId = after.IndexOf("(set_id=");
        if (setId >= 0)
        {
            var end = after[setId..].IndexOf(')');
            user = end > 8 ? after.Slice(setId + 8, end - 8).ToString() : null;
        }

        string? detail = null;
        var reply = after.IndexOf(": 535");
        if (reply < 0)
        {
            reply = after.IndexOf(": 435");
        }

        if (reply >= 0)
        {
            var text = after[(reply + 2)..];
            detail = (setId > reply ? after[(reply + 2)..setId] : text).Trim().ToString();
        }

        output.Add(new LoginAttempt
        {
            LineNumber = lineNumber,
            Time = header.Time,
            Mta = MtaKind.Exim,
            Host = header.Host,
            Program = header.Program,
            Instance = instance,
            User = user,
            ClientHost = clientHost,
            ClientIp = clientIp,
            Method = method,
            Succeeded = false,
            Detail = detail,
        });
        return LineOutcome.Read;
    }

    /// <summary>Exim message ids: "1abcDE-000123-AB" (before 4.97) and "1abcDE-00000000123-ABCD" (4.97 and later).</summary>
    private static bool IsMessageId(ReadOnlySpan<char> text)
    {
        var firstDash = text.IndexOf('-');
        var lastDash = text.LastIndexOf('-');
        if (firstDash != 6 || lastDash == firstDash || text.Length is < 16 or > 23)
        {
            return false;
        }

        var middle = lastDash - firstDash - 1;
        var end = text.Length - lastDash - 1;
        if (middle is not (6 or 11) || end is not (2 or 4))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
