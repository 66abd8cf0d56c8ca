using System.Globalization;
using System.Net;
using static Deliverability.Core.Reports.ReportValues;

namespace Deliverability.Core.Reports;

/// <summary>Values as report writers put them: trimmed, empty as null, dates as epoch seconds or text, IPs with their usual defects.</summary>
public static class ReportValues
{
    internal static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static string? Lower(string? value) => Clean(value)?.ToLowerInvariant();

    internal static DateTimeOffset? Epoch(string? value)
    {
        if (Clean(value) is not { } text) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 253402300800)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fractional) && fractional is >= 0 and < 253402300800)
        {
            return DateTimeOffset.FromUnixTimeSeconds((long)fractional);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date.ToUniversalTime() : null;
    }

    /// <summary>A source IP as reporters write it: trimmed, without brackets; an IPv4-mapped IPv6 address as IPv4.</summary>
    public static IPAddress? ParseIp(string? value)
    {
        if (Clean(value) is not { } text) return null;
        text = text.Trim('[', ']');
        if (!IPAddress.TryParse(text, out var ip) || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            return null;
        }

        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }
}

/// <summary>The report header's texts as the reader walks them; built into a <see cref="DmarcReportHeader"/>.</summary>
internal sealed class DmarcHeaderFields
{
    private string? _org, _id, _email, _domain, _p, _sp, _pct, _adkim, _aspf, _begin, _end;

    public void Set(string name, string parent, string value)
    {
        switch (parent, name)
        {
            case ("report_metadata", "org_name"): _org += value; break;
            case ("report_metadata", "report_id"): _id += value; break;
            case ("report_metadata", "email"): _email += value; break;
            case ("date_range", "begin"): _begin += value; break;
            case ("date_range", "end"): _end += value; break;
            case ("policy_published", "domain"): _domain += value; break;
            case ("policy_published", "p"): _p += value; break;
            case ("policy_published", "sp"): _sp += value; break;
            case ("policy_published", "pct"): _pct += value; break;
            case ("policy_published", "adkim"): _adkim += value; break;
            case ("policy_published", "aspf"): _aspf += value; break;
        }
    }

    public DmarcReportHeader Build()
    {
        var org = Clean(_org) ?? throw new ReportFormatException("it names no reporting organisation (report_metadata/org_name).");
        var id = Clean(_id) ?? throw new ReportFormatException($"the report from {org} has no report id (report_metadata/report_id).");
        var begin = Epoch(_begin) ?? throw new ReportFormatException($"report {id} from {org} has no readable date range (date_range/begin).");
        var end = Epoch(_end) ?? begin;
        return new DmarcReportHeader(org, id, Clean(_email), begin, end < begin ? begin : end, Lower(_domain), Lower(_p), Lower(_sp),
            int.TryParse(Clean(_pct), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pct) ? pct : null, Lower(_adkim), Lower(_aspf));
    }
}

/// <summary>One record's texts as the reader walks them; built into a <see cref="DmarcRecord"/> or a problem.</summary>
internal sealed class DmarcRecordFields
{
    private readonly List<(string? Domain, string? Selector, string? Result)> _dkim = [];
    private readonly List<(string? Domain, string? Scope, string? Result)> _spf = [];
    private readonly List<string> _reasons = [];
    private string? _ip, _count, _disposition, _policyDkim, _policySpf, _headerFrom, _envelopeFrom, _envelopeTo;
    private bool _inAuthResults;

    public void Start(string name, string parent)
    {
        if (name == "auth_results") _inAuthResults = true;
        else if (name == "row" || name == "identifiers") _inAuthResults = false;
        else if (_inAuthResults && parent == "auth_results" && name == "dkim") _dkim.Add(default);
        else if (_inAuthResults && parent == "auth_results" && name == "spf") _spf.Add(default);
        else if (parent == "policy_evaluated" && name == "reason") _reasons.Add("");
    }

    public void Set(string name, string parent, string value)
    {
        switch (parent, name)
        {
            case ("row", "source_ip"): _ip += value; break;
            case ("row", "count"): _count += value; break;
            case ("policy_evaluated", "disposition"): _disposition += value; break;
            case ("policy_evaluated", "dkim"): _policyDkim += value; break;
            case ("policy_evaluated", "spf"): _policySpf += value; break;
            case ("reason", "type") when _reasons.Count > 0: _reasons[^1] = value.Trim() + _reasons[^1]; break;
            case ("reason", "comment") when _reasons.Count > 0: _reasons[^1] += $" ({value.Trim()})"; break;
            case ("identifiers", "header_from"): _headerFrom += value; break;
            case ("identifiers", "envelope_from"): _envelopeFrom += value; break;
            case ("identifiers", "envelope_to"): _envelopeTo += value; break;
            case ("dkim", _) when _inAuthResults && _dkim.Count > 0:
                _dkim[^1] = name switch
                {
                    "domain" => _dkim[^1] with { Domain = _dkim[^1].Domain + value },
                    "selector" => _dkim[^1] with { Selector = _dkim[^1].Selector + value },
                    "result" => _dkim[^1] with { Result = _dkim[^1].Result + value },
                    _ => _dkim[^1],
                };
                break;
            case ("spf", _) when _inAuthResults && _spf.Count > 0:
                _spf[^1] = name switch
                {
                    "domain" => _spf[^1] with { Domain = _spf[^1].Domain + value },
                    "scope" => _spf[^1] with { Scope = _spf[^1].Scope + value },
                    "result" => _spf[^1] with { Result = _spf[^1].Result + value },
                    _ => _spf[^1],
                };
                break;
        }
    }

    public DmarcRecord? Build(out string? problem)
    {
        problem = null;
        if (ParseIp(_ip) is not { } ip)
        {
            problem = Clean(_ip) is { } raw ? $"its source IP \"{raw}\" is not an IP address" : "it has no source IP (row/source_ip)";
            return null;
        }

        if (!int.TryParse(Clean(_count), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < 0)
        {
            problem = Clean(_count) is { } raw ? $"its message count \"{raw}\" is not a number" : $"it has no message count (row/count) for {ip}";
            return null;
        }

        var reasons = _reasons.Select(Clean).OfType<string>().ToList();
        return new DmarcRecord(ip, count, Lower(_disposition), Lower(_policyDkim), Lower(_policySpf),
            reasons.Count == 0 ? null : string.Join("; ", reasons), Lower(_headerFrom), Lower(_envelopeFrom), Lower(_envelopeTo),
            _dkim.Select(d => new DkimAuthResult(Lower(d.Domain), Lower(d.Selector), Lower(d.Result))).ToList(),
            _spf.Select(s => new SpfAuthResult(Lower(s.Domain), Lower(s.Scope), Lower(s.Result))).ToList());
    }
}
