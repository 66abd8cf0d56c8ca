using Deliverability.Core.Checks.Blocklists;

namespace Deliverability.Core.Remediation;

/// <summary>One refused, expired or deferred MTA log line of the IP, as the evidence reader reads it.</summary>
public sealed record LogRefusalLine(
    DateTimeOffset At,
    string LogHost,
    string? QueueId,
    string? MessageId,
    string Recipient,
    bool Deferred,
    string? Provider,
    string? Code,
    string Reason,
    string? Status,
    string? Blocklist,
    string? Reply);

/// <summary>One bounce or delay report of the IP, as the evidence reader reads it.</summary>
public sealed record BounceReportRow(
    DateTimeOffset At,
    string Recipient,
    string? MessageId,
    bool Delay,
    string? Provider,
    string? Code,
    string Reason,
    string? Status,
    string? Diagnostic,
    long BatchId,
    long RawMessageId);

/// <summary>
/// Turns log lines and bounce reports into one <see cref="Refusal"/> per message and recipient. Log lines of one message
/// (log host + queue id, else message id) and recipient collapse into one deferral and one final refusal; a report is the same
/// refusal as a log event when the recipient and the kind (delay or final) agree and either the original Message-ID matches or
/// the report's time lies within <see cref="MatchWindow"/> of the log event (a DSN is written right after the failed attempt).
/// Pure.
/// </summary>
public static class RefusalMerge
{
    /// <summary>How far a report's time may lie outside its log event's first and last line and still be the same refusal.</summary>
    public static readonly TimeSpan MatchWindow = TimeSpan.FromHours(1);

    private sealed class LogEvent(LogRefusalLine first, string? blocklist)
    {
        public LogRefusalLine First { get; set; } = first;
        public DateTimeOffset Last { get; set; } = first.At;
        public string? MessageId { get; set; } = first.MessageId;
        public string? Code { get; set; } = first.Code;
        public string? Provider { get; set; } = first.Provider;
        public string? Blocklist { get; set; } = blocklist;
        public BounceReportRow? Report { get; set; }
    }

    public static List<Refusal> Merge(IEnumerable<LogRefusalLine> lines, IEnumerable<BounceReportRow> reports)
    {
        // An IP's refusals repeat the same few replies: each distinct text is searched for a blocklist once.
        var mentions = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Mention(string? text)
        {
            if (text is null) return null;
            if (!mentions.TryGetValue(text, out var found))
            {
                found = BlocklistMention.Find(text);
                mentions[text] = found;
            }

            return found;
        }

        var events = new Dictionary<(string Host, string Message, string Recipient, bool Deferred), LogEvent>();
        foreach (var line in lines.OrderBy(l => l.At))
        {
            var message = line.QueueId ?? line.MessageId ?? line.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            var key = (line.LogHost, message, line.Recipient.ToLowerInvariant(), line.Deferred);
            if (!events.TryGetValue(key, out var e))
            {
                events[key] = new LogEvent(line, line.Blocklist ?? Mention(line.Reply));
                continue;
            }

            e.Last = line.At;
            e.MessageId ??= line.MessageId;
            e.Code ??= line.Code;
            e.Provider ??= line.Provider;
            e.Blocklist ??= line.Blocklist ?? Mention(line.Reply);
        }

        var byRecipient = events.Values.ToLookup(e => e.First.Recipient.ToLowerInvariant());
        var refusals = new List<Refusal>();
        foreach (var report in reports.OrderBy(r => r.At))
        {
            var recipient = report.Recipient.ToLowerInvariant();
            var match = events.Count == 0 ? null : byRecipient[recipient].Where(e => e.First.Deferred == report.Delay && (report.Delay || e.Report is null))
                .Where(e => SameMessage(e.MessageId, report.MessageId) || (report.At >= e.First.At - MatchWindow && report.At <= e.Last + MatchWindow))
                .OrderBy(e => SameMessage(e.MessageId, report.MessageId) ? 0 : 1).ThenBy(e => (e.First.At - report.At).Duration())
                .FirstOrDefault();
            if (match is not null)
            {
                match.Report ??= report;
                continue;
            }

            refusals.Add(new Refusal(report.At, EvidenceSource.Bounce, recipient, report.Provider, report.Code, report.Reason, report.Status, report.Delay,
                Mention(report.Diagnostic), report.Diagnostic, report.BatchId, report.RawMessageId));
        }

        foreach (var e in events.Values)
        {
            var line = e.First;
            var report = e.Report;
            // The log line is the time; the report may know the provider's code when the log reply was cut.
            refusals.Add(new Refusal(line.At, EvidenceSource.LogLine, line.Recipient.ToLowerInvariant(), e.Provider ?? report?.Provider,
                e.Code ?? report?.Code, line.Reason, line.Status ?? report?.Status, line.Deferred,
                e.Blocklist ?? Mention(report?.Diagnostic), line.Reply ?? report?.Diagnostic,
                report?.BatchId, report?.RawMessageId, AlsoBounce: report is not null));
        }

        refusals.Sort((a, b) => a.At.CompareTo(b.At));
        return refusals;
    }

    private static bool SameMessage(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.Trim().Trim('<', '>'), b.Trim().Trim('<', '>'), StringComparison.OrdinalIgnoreCase);
}
