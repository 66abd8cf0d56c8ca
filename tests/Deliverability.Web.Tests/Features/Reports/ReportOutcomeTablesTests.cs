using Deliverability.Core.Reports;
using Deliverability.Web.Features.Reports;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Features.Reports;

/// <summary>The tables of the IP page's report section: figures with their counts, failing selectors marked, missing fields said.</summary>
public class ReportOutcomeTablesTests : BunitContext
{
    public ReportOutcomeTablesTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private static IpReportSummary Summary() => new(
        Reports: 2, Messages: 250, DmarcPass: 220, DkimAlignedPass: 182, SpfAlignedPass: 220,
        Days: [],
        Reporters: [new("google.com", 150, 120, 120, 120, 1), new("Outlook.com", 100, 100, 62, 100, 1)],
        Domains: [new("example.com", 250, 220, 182, 220)],
        Signatures: [new("example.com", "example.com", "s1", 250, 182), new("example.com", "esp.example.net", null, 7, 7)],
        SpfIdentities: [new("example.com", "bounce.other.example", null, 30, 0)],
        Dispositions: [new("none", 220), new("quarantine", 30)]);

    [Fact]
    public void Render_ShowsEachReporterAndTheFailingSelectorWithItsCounts()
    {
        var tables = Render<ReportOutcomeTables>(p => p.Add(x => x.Summary, Summary()));

        var reporters = tables.Find("#dmarc-reporters").TextContent;
        Assert.Contains("google.com", reporters, StringComparison.Ordinal);
        Assert.Contains("80% (120 of 150)", reporters, StringComparison.Ordinal);
        var signatures = tables.FindAll("#dmarc-signatures tbody tr");
        Assert.Contains("27.2% (68 of 250)", signatures[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("s1", signatures[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("not reported", signatures[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("/domains/example.com", tables.Find("#dmarc-from-domains a").GetAttribute("href"));
        Assert.Contains("not reported", tables.Find("#dmarc-spf tbody tr").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_WithoutMessages_IsUnknownNotZero() => Assert.Equal("unknown (no messages)", ReportFigures.Rate(0, 0));
}
