using System.Globalization;
using System.Net;
using System.Xml;

namespace Deliverability.Core.Reports;

/// <summary>A report that cannot be read at all (not XML, no report id or organisation, no date range): nothing of it is stored.</summary>
public sealed class ReportFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a DMARC aggregate report says about itself and the policy the reporter found published.</summary>
public sealed record DmarcReportHeader(
    string OrgName,
    string ReportId,
    string? Email,
    DateTimeOffset Begin,
    DateTimeOffset End,
    string? PolicyDomain,
    string? PolicyP,
    string? PolicySp,
    int? PolicyPct,
    string? Adkim,
    string? Aspf);

/// <summary>A DKIM signature the receiver evaluated (auth_results), as it wrote it (lower case).</summary>
public sealed record DkimAuthResult(string? Domain, string? Selector, string? Result);

/// <summary>An SPF identity the receiver evaluated (auth_results): the domain, its scope (mfrom, helo) and the result.</summary>
public sealed record SpfAuthResult(string? Domain, string? Scope, string? Result);

/// <summary>
/// One row of a report: <see cref="Count"/> messages from one source IP with one outcome. <see cref="Dkim"/> and <see cref="Spf"/> are
/// the policy-evaluated (aligned) results; null where the reporter left them out.
/// </summary>
public sealed record DmarcRecord(
    IPAddress SourceIp,
    int Count,
    string? Disposition,
    string? Dkim,
    string? Spf,
    string? Reasons,
    string? HeaderFrom,
    string? EnvelopeFrom,
    string? EnvelopeTo,
    IReadOnlyList<DkimAuthResult> DkimResults,
    IReadOnlyList<SpfAuthResult> SpfResults)
{
    /// <summary>DMARC passes when DKIM or SPF passes aligned (RFC 7489 section 6.6.2).</summary>
    public bool DmarcPass => Dkim == "pass" || Spf == "pass";
}

/// <summary>A record the reader skipped, and why (its position among the report's records, from 1).</summary>
public sealed record SkippedRecord(int Position, string Problem);

/// <summary>
/// Streams a DMARC aggregate report (RFC 7489 appendix C, DMARCbis): the header is read on <see cref="Open"/>, the records one by one
/// from <see cref="ReadRecords"/>, so a report of any size is never whole in memory. Element names are matched by local name (any
/// namespace, or none); unknown elements are skipped; text is trimmed (whitespace in IPs); a leading BOM or blank lines are skipped.
/// A record without a readable source IP or count is skipped with its reason; fields a reporter leaves out are null.
/// </summary>
public sealed class DmarcAggregateReader : IDisposable
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CheckCharacters = false,
        CloseInput = false,
    };

    private readonly XmlReader _xml;
    private readonly List<SkippedRecord> _skipped = [];
    private bool _atRecord;
    private int _position;

    private DmarcAggregateReader(XmlReader xml, DmarcReportHeader header, bool atRecord)
    {
        _xml = xml;
        Header = header;
        _atRecord = atRecord;
    }

    public DmarcReportHeader Header { get; }

    /// <summary>Records skipped so far (read them after <see cref="ReadRecords"/> has run).</summary>
    public IReadOnlyList<SkippedRecord> Skipped => _skipped;

    /// <summary>Reads the report's header (metadata and published policy). Throws <see cref="ReportFormatException"/> when the report cannot be read.</summary>
    public static DmarcAggregateReader Open(Stream xml)
    {
        var reader = XmlReader.Create(new LeadingBlankSkippingStream(xml), Settings);
        try
        {
            var header = new HeaderFields();
            if (!MoveToContent(reader) || reader.LocalName != "feedback")
            {
                throw new ReportFormatException("it is not a DMARC aggregate report: its root element is not <feedback>.");
            }

            var atRecord = false;
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (Next(reader, depth: 1))
                {
                    if (reader.LocalName == "record")
                    {
                        atRecord = true;
                        break;
                    }

                    Walk(reader, header.Set);
                }
            }

            return new DmarcAggregateReader(reader, header.Build(), atRecord);
        }
        catch (XmlException e)
        {
            reader.Dispose();
            throw new ReportFormatException($"its XML is broken at line {e.LineNumber}, position {e.LinePosition}: {e.Message}", e);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The records, in order, as they are read. A report whose XML breaks half-way throws <see cref="ReportFormatException"/>.</summary>
    public IEnumerable<DmarcRecord> ReadRecords()
    {
        while (_atRecord)
        {
            var fields = new RecordFields();
            try
            {
                Walk(_xml, fields.Set, fields.Start);
                _atRecord = false;
                while (Next(_xml, depth: 1))
                {
                    if (_xml.LocalName == "record")
                    {
                        _atRecord = true;
                        break;
                    }

                    _xml.Skip();
                }
            }
            catch (XmlException e)
            {
                throw new ReportFormatException($"its XML is broken at line {e.LineNumber}, position {e.LinePosition} (after {_position} records): {e.Message}", e);
            }

            _position++;
            if (fields.Build(out var problem) is { } record)
            {
                yield return record;
            }
            else
            {
                _skipped.Add(new SkippedRecord(_position, problem!));
            }
        }
    }

    public void Dispose() => _xml.Dispose();

    private static bool MoveToContent(XmlReader reader)
    {
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element) return true;
        }

        return false;
    }

    /// <summary>Moves to the next element at <paramref name="depth"/> (the reader may already be on it); false at the end of its parent.</summary>
    private static bool Next(XmlReader reader, int depth)
    {
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth) return true;
            if (reader.Depth < depth) return false;
            if (reader.NodeType == XmlNodeType.Element)
            {
                reader.Skip();
            }
            else
            {
                reader.Read();
            }
        }

        return false;
    }

    /// <summary>
    /// Walks the element the reader is on to its end, reporting each text with its element's and parent's local names, and each
    /// element start; leaves the reader on the node after it.
    /// </summary>
    private static void Walk(XmlReader reader, Action<string, string, string> text, Action<string, string>? start = null)
    {
        var names = new List<string>(8) { reader.LocalName };
        start?.Invoke(reader.LocalName, "");
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    start?.Invoke(reader.LocalName, names[^1]);
                    if (!reader.IsEmptyElement) names.Add(reader.LocalName);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    text(names[^1], names.Count > 1 ? names[^2] : "", reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    names.RemoveAt(names.Count - 1);
                    if (names.Count == 0)
                    {
                        reader.Read();
                        return;
                    }

                    break;
            }
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Lower(string? value) => Clean(value)?.ToLowerInvariant();

    private static DateTimeOffset? Epoch(string? value)
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
    internal static IPAddress? ParseIp(string? value)
    {
        if (Clean(value) is not { } text) return null;
        text = text.Trim('[', ']');
        if (!IPAddress.TryParse(text, out var ip) || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            return null;
        }

        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }

    private sealed class HeaderFields
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

    private sealed class RecordFields
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
}
