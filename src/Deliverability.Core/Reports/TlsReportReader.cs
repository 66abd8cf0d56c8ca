using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Deliverability.Core.Reports;

/// <summary>An SMTP TLS report (RFC 8460): who sent it, the period, and one entry per policy it evaluated.</summary>
public sealed record ParsedTlsReport(string OrgName, string ReportId, string? ContactInfo, DateTimeOffset Begin, DateTimeOffset End, IReadOnlyList<ParsedTlsPolicy> Policies);

/// <summary>Sessions to one policy domain: how many negotiated TLS, how many failed, and the failures' details.</summary>
public sealed record ParsedTlsPolicy(string PolicyType, string? PolicyDomain, string? MxHosts, long SuccessfulSessions, long FailedSessions, IReadOnlyList<ParsedTlsFailure> Failures);

/// <summary>One kind of failure (RFC 8460 section 4.3 result types) between a sending MTA and a receiving MX.</summary>
public sealed record ParsedTlsFailure(string ResultType, IPAddress? SendingMtaIp, string? ReceivingMxHostname, IPAddress? ReceivingIp, long FailedSessions, string? FailureReasonCode);

/// <summary>Reads an RFC 8460 JSON report; throws <see cref="ReportFormatException"/> when it is not one. Missing optional fields are null.</summary>
public static class TlsReportReader
{
    /// <summary>A TLS report is small (one per day per receiver); larger input is refused rather than loaded.</summary>
    public const int MaxBytes = 16 << 20;

    public static ParsedTlsReport Read(Stream json)
    {
        JsonDocument document;
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = json.Read(buffer)) > 0)
            {
                if (limited.Length + read > MaxBytes) throw new ReportFormatException($"it is larger than {MaxBytes >> 20} MB, which no TLS report is.");
                limited.Write(buffer, 0, read);
            }

            limited.Position = 0;
            document = JsonDocument.Parse(limited, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ReportFormatException($"its JSON is broken at line {e.LineNumber + 1}: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ReportFormatException("it is not an SMTP TLS report: its JSON is not an object.");
            var org = Text(root, "organization-name") ?? throw new ReportFormatException("it names no reporting organisation (organization-name).");
            var id = Text(root, "report-id") ?? throw new ReportFormatException($"the TLS report from {org} has no report-id.");
            var range = Child(root, "date-range");
            var begin = Date(range, "start-datetime") ?? throw new ReportFormatException($"TLS report {id} from {org} has no readable date-range/start-datetime.");
            var end = Date(range, "end-datetime") ?? begin;
            var policies = new List<ParsedTlsPolicy>();
            if (Child(root, "policies") is { ValueKind: JsonValueKind.Array } list)
            {
                foreach (var entry in list.EnumerateArray())
                {
                    policies.Add(ReadPolicy(entry));
                }
            }

            return new ParsedTlsReport(org, id, Text(root, "contact-info"), begin, end < begin ? begin : end, policies);
        }
    }

    private static ParsedTlsPolicy ReadPolicy(JsonElement entry)
    {
        var policy = Child(entry, "policy");
        var summary = Child(entry, "summary");
        var failures = new List<ParsedTlsFailure>();
        if (Child(entry, "failure-details") is { ValueKind: JsonValueKind.Array } details)
        {
            foreach (var d in details.EnumerateArray())
            {
                failures.Add(new ParsedTlsFailure(Text(d, "result-type")?.ToLowerInvariant() ?? "unknown", ReportValues.ParseIp(Text(d, "sending-mta-ip")),
                    Text(d, "receiving-mx-hostname")?.ToLowerInvariant(), ReportValues.ParseIp(Text(d, "receiving-ip")),
                    Number(d, "failed-session-count"), Text(d, "failure-reason-code")));
            }
        }

        var mx = Child(policy, "mx-host") is { ValueKind: JsonValueKind.Array } hosts
            ? string.Join(", ", hosts.EnumerateArray().Where(h => h.ValueKind == JsonValueKind.String).Select(h => h.GetString()))
            : Text(policy, "mx-host");
        return new ParsedTlsPolicy(Text(policy, "policy-type")?.ToLowerInvariant() ?? "unknown", Text(policy, "policy-domain")?.ToLowerInvariant(),
            string.IsNullOrEmpty(mx) ? null : mx, Number(summary, "total-successful-session-count"), Number(summary, "total-failure-session-count"), failures);
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement? parent, string name) => Child(parent, name) switch
    {
        { ValueKind: JsonValueKind.String } s when !string.IsNullOrWhiteSpace(s.GetString()) => s.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    private static long Number(JsonElement? parent, string name) => Child(parent, name) switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var v) && v >= 0 => v,
        { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 => v,
        _ => 0,
    };

    private static DateTimeOffset? Date(JsonElement? parent, string name) =>
        Text(parent, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.ToUniversalTime()
            : null;
}
