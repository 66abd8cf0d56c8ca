using System.Xml;

namespace Deliverability.Core.Reports;

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
            var header = new DmarcHeaderFields();
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
            var fields = new DmarcRecordFields();
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
}
