using System.Net;
using Deliverability.Core.Snds;

namespace Deliverability.Core.Tests.Snds;

public class SndsCsvReaderTests
{
    private static StreamReader Open(string name) => File.OpenText(Path.Combine(AppContext.BaseDirectory, "TestData", "Snds", name));

    [Fact]
    public void Read_WhenFileHasAHeader_SkipsItAndReadsEveryColumn()
    {
        using var csv = Open("data-with-header.csv");

        var report = SndsCsvReader.Read(csv);

        Assert.True(report.HadHeader);
        Assert.Empty(report.Errors);
        Assert.Equal(2, report.Rows.Count);
        var green = report.Rows[0];
        Assert.Equal(2, green.LineNumber);
        Assert.Equal(IPAddress.Parse("203.0.113.5"), green.Ip);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), green.ActivityStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 23, 59, 0, TimeSpan.Zero), green.ActivityEnd);
        Assert.Equal(new DateOnly(2026, 11, 26), green.Day);
        Assert.Equal(1520, green.RcptCommands);
        Assert.Equal(1490, green.DataCommands);
        Assert.Equal(1490, green.MessageRecipients);
        Assert.Equal(SndsFilterResult.Green, green.FilterResult);
        Assert.Equal("mx1.example.com", green.SampleHelo);
        Assert.Equal("news@example.com", green.SampleMailFrom);
        Assert.Null(green.Comments);
    }

    [Fact]
    public void Read_WhenComplaintRateIsBelowTheFloor_StoresTheUpperBoundAndFlagsIt()
    {
        using var csv = Open("data-with-header.csv");

        var report = SndsCsvReader.Read(csv);

        Assert.Equal(0.001m, report.Rows[0].ComplaintRate);
        Assert.True(report.Rows[0].ComplaintRateIsUpperBound);
        Assert.Equal(0.003m, report.Rows[1].ComplaintRate);
        Assert.False(report.Rows[1].ComplaintRateIsUpperBound);
    }

    [Fact]
    public void Read_WhenTrapColumnsAreBlank_LeavesThePeriodEmptyAndHitsZero()
    {
        using var csv = Open("data-with-header.csv");

        var report = SndsCsvReader.Read(csv);

        Assert.Null(report.Rows[0].TrapPeriodStart);
        Assert.Null(report.Rows[0].TrapPeriodEnd);
        Assert.Equal(0, report.Rows[0].TrapHits);
    }

    [Fact]
    public void Read_WhenFieldsAreQuoted_ReadsCommasInsideThem()
    {
        using var csv = Open("data-with-header.csv");

        var red = SndsCsvReader.Read(csv).Rows[1];

        Assert.Equal(1204, red.RcptCommands);
        Assert.Equal(SndsFilterResult.Red, red.FilterResult);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 15, 15, 0, TimeSpan.Zero), red.TrapPeriodStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 21, 40, 0, TimeSpan.Zero), red.TrapPeriodEnd);
        Assert.Equal(4, red.TrapHits);
        Assert.Equal("mx2.example.com", red.SampleHelo);
        Assert.Equal("Trap hits, see JMRP", red.Comments);
    }

    [Fact]
    public void Read_WhenFileHasNoHeader_ReadsTheFirstLineAsData()
    {
        using var csv = Open("data-no-header.csv");

        var report = SndsCsvReader.Read(csv);

        Assert.False(report.HadHeader);
        var row = Assert.Single(report.Rows);
        Assert.Equal(1, row.LineNumber);
        Assert.Equal(SndsFilterResult.Yellow, row.FilterResult);
        Assert.Equal(0.012m, row.ComplaintRate);
        Assert.Equal(new DateOnly(2026, 11, 27), row.Day);
    }

    [Fact]
    public void Read_WhenLinesAreBad_ReportsEachWithItsLineNumber()
    {
        using var csv = Open("data-no-header.csv");

        var errors = SndsCsvReader.Read(csv).Errors;

        Assert.Collection(
            errors,
            e =>
            {
                Assert.Equal(2, e.LineNumber);
                Assert.Contains("'many'", e.Problem, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.Equal(3, e.LineNumber);
                Assert.Contains("BLUE", e.Problem, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.Equal(4, e.LineNumber);
                Assert.Contains("expected 14 columns, found 2", e.Problem, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.Equal(5, e.LineNumber);
                Assert.Contains("quoted field", e.Problem, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void ReadIpStatus_WhenLegacyExportSaysYes_ReadsABlockedRange()
    {
        using var csv = Open("ipstatus-legacy.csv");

        var report = SndsCsvReader.ReadIpStatus(csv);

        Assert.True(report.HadHeader);
        var range = Assert.Single(report.Ranges);
        Assert.True(range.Blocked);
        Assert.Equal(IPAddress.Parse("203.0.113.0"), range.FirstIp);
        Assert.Equal(IPAddress.Parse("203.0.113.15"), range.LastIp);
        Assert.Equal("Blocked due to user complaints or other evidence of spamming", range.Reason);
        Assert.True(range.Contains(IPAddress.Parse("203.0.113.5")));
        Assert.False(range.Contains(IPAddress.Parse("203.0.113.16")));
    }

    [Fact]
    public void ReadIpStatus_WhenApiExportSaysTrueOrFalse_ReadsTheFlagAndReportsReversedRanges()
    {
        using var csv = Open("ipstatus-api.csv");

        var report = SndsCsvReader.ReadIpStatus(csv);

        Assert.False(report.HadHeader);
        Assert.Equal(2, report.Ranges.Count);
        Assert.True(report.Ranges[0].Blocked);
        Assert.Equal("SpamHaus SBL/XBL", report.Ranges[0].Reason);
        Assert.False(report.Ranges[1].Blocked);
        Assert.Null(report.Ranges[1].Reason);
        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("ends before it starts", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenInputIsEmpty_ReturnsNothing()
    {
        var report = SndsCsvReader.Read(new StringReader("\r\n\r\n"));

        Assert.Empty(report.Rows);
        Assert.Empty(report.Errors);
    }
}
