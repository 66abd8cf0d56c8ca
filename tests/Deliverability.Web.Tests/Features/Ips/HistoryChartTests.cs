using Deliverability.Core.Evidence;
using Deliverability.Web.Features.Ips;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Features.Ips;

/// <summary>The IP page's history charts: an empty history says so in words, a history draws a chart with its 85 line.</summary>
public class HistoryChartTests : BunitContext
{
    public HistoryChartTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void SenderScore_WithoutScores_SaysSoInsteadOfAnEmptyAxis()
    {
        var chart = Render<SenderScoreChart>(p => p.Add(x => x.Points, []));
        Assert.Contains("No Sender Score was read", chart.Find("#sender-score-empty").TextContent, StringComparison.Ordinal);
        Assert.Empty(chart.FindAll("svg"));
    }

    [Fact]
    public void SenderScore_DrawsTheScoreAndTheHealthyLine_AndNamesTheLatest()
    {
        var chart = Render<SenderScoreChart>(p => p.Add(x => x.Points, [new SenderScorePoint(new DateOnly(2026, 11, 1), 91), new SenderScorePoint(new DateOnly(2026, 11, 2), 78)]));
        Assert.NotEmpty(chart.FindAll("svg path"));
        Assert.Contains("85: healthy above", chart.Markup, StringComparison.Ordinal);
        Assert.Contains("latest 78", chart.Find("#sender-score-chart").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Snds_WithoutDays_SaysSo_AndWithDays_DrawsOneSeriesPerFilterColour()
    {
        var empty = Render<SndsHistoryChart>(p => p.Add(x => x.Days, []));
        Assert.Contains("No SNDS data", empty.Find("#snds-history-empty").TextContent, StringComparison.Ordinal);

        var chart = Render<SndsHistoryChart>(p => p.Add(x => x.Days,
            [new SndsPoint(new DateOnly(2026, 11, 1), 1200, "GREEN", 0.001m, true, 0), new SndsPoint(new DateOnly(2026, 11, 2), 900, "RED", 0.004m, false, 3)]));
        Assert.Equal(2, chart.FindAll("svg").Count(s => s.QuerySelector("rect, path") is not null));
        foreach (var legend in new[] { "Green", "Yellow", "Red", "Complaint rate (%)", "Trap hits" })
        {
            Assert.Contains(legend, chart.Markup, StringComparison.Ordinal);
        }
    }
}
