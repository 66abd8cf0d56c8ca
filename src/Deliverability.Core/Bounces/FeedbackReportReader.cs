using System.Net;

namespace Deliverability.Core.Bounces;

/// <summary>Reads ARF complaint reports (RFC 5965), including Microsoft JMRP and Yahoo CFL reports.</summary>
internal static class FeedbackReportReader
{
    public static List<RecipientResult> Read(BounceContext context)
    {
        var results = new List<RecipientResult>();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new List<string>();
        if (context.Parts.FeedbackReport is { } part)
        {
            var text = TextDecoding.DecodePart(part);
            foreach (var block in FieldBlocks.Read(text))
            {
                foreach (var (name, value) in block)
                {
                    fields.TryAdd(name, value);
                }
            }

            // Original-Rcpt-To may repeat, one per complaining recipient.
            foreach (var rawLine in text.Split('\n'))
            {
                var line = rawLine.Trim();
                if (line.StartsWith("Original-Rcpt-To:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Removal-Recipient:", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var address in TextAddresses.Find(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..]))
                    {
                        if (!recipients.Contains(address))
                        {
                            recipients.Add(address);
                        }
                    }
                }
            }
        }

        if (recipients.Count == 0)
        {
            recipients.AddRange(context.Original.To.Distinct(StringComparer.OrdinalIgnoreCase));
        }

        if (recipients.Count == 0 && context.Message.Headers["To"] is { } toHeader)
        {
            // JMRP redacts the original recipient: fall back to the report's own addressee.
            recipients.AddRange(TextAddresses.Find(toHeader).Take(1));
        }

        if (recipients.Count == 0)
        {
            return results;
        }

        var feedbackType = fields.TryGetValue("Feedback-Type", out var type) ? type.Trim().ToLowerInvariant()
            : context.Subject.Trim().Equals("unsubscribe", StringComparison.OrdinalIgnoreCase) ? "opt-out" : "abuse";
        IPAddress? ip = null;
        string? ipSource = null;
        if (fields.TryGetValue("Source-IP", out var source) && IPAddress.TryParse(source.Trim().Trim('[', ']'), out var parsed))
        {
            ip = parsed;
            ipSource = "feedback-report";
        }
        else if (context.Original.TopReceived is { } received && FirstBracketedIp(received) is { } fromReceived)
        {
            ip = fromReceived;
            ipSource = "received-header";
        }

        var arrival = fields.TryGetValue("Arrival-Date", out var arrivalText) ? BounceParser.ParseDate(arrivalText)
            : fields.TryGetValue("Received-Date", out var receivedText) ? BounceParser.ParseDate(receivedText) : null;
        var reporting = fields.TryGetValue("Reporting-MTA", out var mta) ? FieldBlocks.StripType(mta) : null;
        var agent = fields.TryGetValue("User-Agent", out var ua) ? ua : null;
        foreach (var recipient in recipients)
        {
            var raw = new RawRecipient
            {
                Recipient = recipient,
                Action = "failed",
                Diagnostic = agent is null ? "feedback report: " + feedbackType : $"feedback report: {feedbackType} ({agent})",
                ReportingMta = reporting,
                ArrivalDate = arrival,
                FeedbackType = feedbackType,
                Kind = BounceKind.Feedback,
                Reason = BounceReasons.Feedback,
                SendingIp = ip,
                SendingIpSource = ipSource,
            };
            results.Add(ResultBuilder.Build(raw, context) with { Action = null, Status = null, ReplyCode = null });
        }

        return results;
    }

    private static IPAddress? FirstBracketedIp(string received)
    {
        var open = received.IndexOf('[', StringComparison.Ordinal);
        while (open >= 0)
        {
            var close = received.IndexOf(']', open + 1);
            if (close < 0)
            {
                break;
            }

            var candidate = received.AsSpan(open + 1, close - open - 1);
            if (candidate.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                candidate = candidate[5..];
            }

            if (IPAddress.TryParse(candidate, out var ip) && SendingIpFinder.IsUsable(ip))
            {
                return ip;
            }

            open = received.IndexOf('[', close);
        }

        return null;
    }
}
