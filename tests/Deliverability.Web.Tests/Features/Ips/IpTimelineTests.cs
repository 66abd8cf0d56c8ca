using System.Globalization;
using Deliverability.Core.Remediation;
using Deliverability.Web.Features.Ips;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Features.Ips;

/// <summary>The IP page's timeline: day ticks at UTC midnight, logged refusals drawn, the shaded window explained.</summary>
public class IpTimelineTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FirstBlock = new(2026, 12, 1, 2, 45, 0, TimeSpan.Zero);

    public IpTimelineTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private IRenderedComponent<IpTimeline> RenderTimeline()
    {
        var end = new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero);
        var start = end.AddDays(-14);
        var hours = (int)(end - start).TotalHours;
        var refused = new int[hours];
        var sent = new int[hours];
        for (var i = 0; i < hours; i++) sent[i] = 20;
        refused[(int)(FirstBlock - start).TotalHours] = 12;
        var data = new IpTimelineData
        {
            Start = start,
            End = end,
            BouncesByFamily = [],
            ByProvider = [],
            Sent = sent,
            Deferred = new int[hours],
            Refused = refused,
            Markers = [new TimelineMarker(FirstBlock, "block", "First block")],
            AnalysisWindow = new TimeWindow(FirstBlock, FirstBlock.AddHours(48)),
        };
        return Render<IpTimeline>(p => p.Add(x => x.Data, data).Add(x => x.Now, Now));
    }

    private static double X(AngleSharp.Dom.IElement element, string attribute) => double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

    [Fact]
    public void DayTicks_SitAtUtcMidnight_AndTodayIsLabelled()
    {
        var timeline = RenderTimeline();

        var ticks = timeline.FindAll("line.day-tick");
        Assert.Equal(14, ticks.Count); // 18 Nov ... 1 Dec
        Assert.All(ticks, t => Assert.EndsWith("T00:00Z", t.GetAttribute("data-at"), StringComparison.Ordinal));
        Assert.Contains("1 Dec (today)", timeline.Markup, StringComparison.Ordinal);

        // The 1 Dec 02:45 block sits after the 1 Dec tick, not before it as under "30 Nov".
        var dec1 = ticks.Single(t => t.GetAttribute("data-at") == "2026-12-01T00:00Z");
        var marker = timeline.Find("g.marker-block line");
        Assert.True(X(marker, "x1") > X(dec1, "x1"));
    }

    [Fact]
    public void LoggedRefusals_AreDrawn_AndTheShadedWindowIsExplained()
    {
        var timeline = RenderTimeline();

        Assert.Single(timeline.FindAll("circle.log-refused"));
        Assert.Contains("refused (logs", timeline.Find("#timeline-legend").TextContent, StringComparison.Ordinal);
        var caption = timeline.Find("#timeline-window-caption").TextContent;
        Assert.Contains("1 Dec 02:45 UTC", caption, StringComparison.Ordinal);
        Assert.Contains("48 hours", caption, StringComparison.Ordinal);
        Assert.Contains("login spike", caption, StringComparison.Ordinal);
    }
}
