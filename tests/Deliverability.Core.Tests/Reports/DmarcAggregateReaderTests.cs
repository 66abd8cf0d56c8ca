using System.IO.Compression;
using System.Net;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Reports;

namespace Deliverability.Core.Tests.Reports;

public class DmarcAggregateReaderTests
{
    internal static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Reports", name));

    private static (DmarcReportHeader Header, List<DmarcRecord> Records, IReadOnlyList<SkippedRecord> Skipped) Read(string name)
    {
        using var reader = DmarcAggregateReader.Open(new MemoryStream(Fixture(name)));
        var records = reader.ReadRecords().ToList();
        return (reader.Header, records, reader.Skipped);
    }

    [Fact]
    public void Open_WhenGoogleStyle_ReadsHeaderPolicyAndRecords()
    {
        var (header, records, skipped) = Read("google-style.xml");

        Assert.Equal("google.com", header.OrgName);
        Assert.Equal("1234567890123456789", header.ReportId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796083200), header.Begin);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796169599), header.End);
        Assert.Equal(("example.com", "quarantine", 100), (header.PolicyDomain, header.PolicyP, header.PolicyPct!.Value));
        Assert.Empty(skipped);
        Assert.Equal(2, records.Count);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), records[0].SourceIp);
        Assert.Equal(120, records[0].Count);
        Assert.True(records[0].DmarcPass);
        var failing = records[1];
        Assert.Equal((30, "quarantine", "fail", "fail"), (failing.Count, failing.Disposition!, failing.Dkim!, failing.Spf!));
        Assert.False(failing.DmarcPass);
        Assert.Equal(new DkimAuthResult("example.com", "s1", "fail"), Assert.Single(failing.DkimResults));
        Assert.Equal(new SpfAuthResult("bounce.other.example", null, "softfail"), Assert.Single(failing.SpfResults));
    }

    [Fact]
    public void Open_WhenYahooStyleWithTwoSignatures_KeepsBoth()
    {
        var (header, records, _) = Read("yahoo-style.xml");

        Assert.Equal("Yahoo", header.OrgName);
        var record = Assert.Single(records);
        Assert.Equal(["s1", "k2"], record.DkimResults.Select(d => d.Selector));
        Assert.True(record.DmarcPass);
        Assert.Equal("fail", record.Spf);
    }

    [Fact]
    public void Open_WhenOutlookStyleWithSchemaNamespacesAndEnvelope_ReadsEnvelopeDomains()
    {
        var (header, records, _) = Read("outlook-style.xml");

        Assert.Equal("Outlook.com", header.OrgName);
        Assert.Equal([62, 38], records.Select(r => r.Count));
        Assert.Equal(("hotmail.com", "example.com"), (records[1].EnvelopeTo!, records[1].EnvelopeFrom!));
        Assert.Equal("mfrom", records[1].SpfResults[0].Scope);
    }

    [Theory]
    [InlineData("mailru-style.xml", "Mail.Ru", "198.51.100.77", 4, "reject")]
    [InlineData("dmarcbis-prefixed.xml", "Receiver Inc.", "2001:db8::25", 3, "pass")]
    public void Open_WhenElementsAreInANamespace_MatchesThemByLocalName(string file, string org, string ip, int count, string disposition)
    {
        var (header, records, skipped) = Read(file);

        Assert.Equal(org, header.OrgName);
        Assert.Equal("example.com", header.PolicyDomain);
        var record = Assert.Single(records);
        Assert.Equal((IPAddress.Parse(ip), count, disposition), (record.SourceIp, record.Count, record.Disposition!));
        Assert.Empty(skipped);
    }

    [Fact]
    public void Open_WhenBomBlankLinesWhitespaceAndExtraElements_ReadsWhatIsThereAndSkipsUnreadableRecords()
    {
        var (header, records, skipped) = Read("defects.xml");

        Assert.Equal(("Small Receiver", "defects-1"), (header.OrgName, header.ReportId));
        Assert.Equal(header.Begin, header.End);
        Assert.Null(header.PolicyDomain);
        Assert.Equal(2, records.Count);
        var first = records[0];
        Assert.Equal((IPAddress.Parse("192.0.2.10"), 5, "example.com"), (first.SourceIp, first.Count, first.HeaderFrom!));
        Assert.Null(first.Disposition);
        Assert.Null(first.Dkim);
        Assert.False(first.DmarcPass);
        Assert.Empty(first.DkimResults);
        var mapped = records[1];
        Assert.Equal(IPAddress.Parse("192.0.2.12"), mapped.SourceIp);
        Assert.Equal("forwarded (list)", mapped.Reasons);
        Assert.Equal(new DkimAuthResult("example.com", null, "pass"), Assert.Single(mapped.DkimResults));
        Assert.Equal([2, 3], skipped.Select(s => s.Position));
        Assert.Contains("no message count", skipped[0].Problem, StringComparison.Ordinal);
        Assert.Contains("\"not-an-ip\" is not an IP address", skipped[1].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_WhenXmlBreaksHalfWay_ThrowsWithTheLine()
    {
        using var reader = DmarcAggregateReader.Open(new MemoryStream(Fixture("broken-truncated.xml")));

        var e = Assert.Throws<ReportFormatException>(() => reader.ReadRecords().ToList());

        Assert.Contains("XML is broken at line", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-report-id.xml", "no report id")]
    [InlineData("tls-google-style.json", "XML is broken")]
    public void Open_WhenTheReportCannotBePlaced_SaysWhy(string file, string expected)
    {
        var e = Assert.Throws<ReportFormatException>(() => DmarcAggregateReader.Open(new MemoryStream(Fixture(file))));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhenRootIsNotFeedback_RefusesIt()
    {
        var e = Assert.Throws<ReportFormatException>(() => DmarcAggregateReader.Open(new MemoryStream("<html><body/></html>"u8.ToArray())));

        Assert.Contains("root element is not <feedback>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhenADoctypeIsDeclared_RefusesItWithoutResolvingEntities()
    {
        var xml = """<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY x SYSTEM "file:///etc/passwd">]><feedback><report_metadata><org_name>&x;</org_name></report_metadata></feedback>"""u8.ToArray();

        Assert.Throws<ReportFormatException>(() => DmarcAggregateReader.Open(new MemoryStream(xml)));
    }

    [Theory]
    [InlineData("google-style.xml", IngestFileKind.DmarcReport)]
    [InlineData("mailru-style.xml", IngestFileKind.DmarcReport)]
    [InlineData("dmarcbis-prefixed.xml", IngestFileKind.DmarcReport)]
    [InlineData("defects.xml", IngestFileKind.DmarcReport)]
    [InlineData("tls-google-style.json", IngestFileKind.TlsReport)]
    public void Detect_WhenPlainGzippedOrZipped_SaysReport(string file, IngestFileKind kind)
    {
        var plain = Fixture(file);

        Assert.Equal(kind, FileKindDetector.Detect(plain, file));
        Assert.Equal(kind, FileKindDetector.Detect(Gzip(plain), file + ".gz"));
        Assert.Equal(kind, FileKindDetector.Detect(Zip(file, plain), file + ".zip"));
        Assert.Equal(kind, FileKindDetector.Detect(Zip(file + ".gz", Gzip(plain), CompressionLevel.NoCompression), file + ".zip"));
    }

    [Fact]
    public void Detect_WhenAZipOfMessagesOrAGzippedMessage_IsNotAReport()
    {
        var message = "From: a@example.com\r\nSubject: <feedback> hi\r\n\r\nbody\r\n"u8.ToArray();

        Assert.Equal(IngestFileKind.Zip, FileKindDetector.Detect(Zip("a.eml", message), "a.zip"));
        Assert.Equal(IngestFileKind.Gzip, FileKindDetector.Detect(Gzip(message), "a.eml.gz"));
        Assert.Equal(IngestFileKind.Message, FileKindDetector.Detect(message, "a.eml"));
    }

    internal static byte[] Gzip(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        return buffer.ToArray();
    }

    internal static byte[] Zip(string name, byte[] content, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(name, level).Open();
            entry.Write(content);
        }

        return buffer.ToArray();
    }
}
