using System.Globalization;
using System.Text;
using Deliverability.Core.Remediation;

namespace Deliverability.Core.Alerts;

/// <summary>The title, text and link of an alert, from its events only (the same sentences the events were recorded with).</summary>
public sealed record AlertMessage(string Title, string Text, string LinkPath, string? Link)
{
    /// <summary>A summary lists at most this many events, then says how many more there are.</summary>
    public const int SummaryLines = 50;

    /// <summary>"https://x.example/ips/3", or null when no public base URL is set.</summary>
    public static string? Absolute(string? baseUrl, string path) =>
        string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl.Trim().TrimEnd('/') + path;

    public static AlertMessage For(AlertEventKind kind, IReadOnlyList<AlertEvent> events, string? baseUrl, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 1)
        {
            var only = events[0];
            return new AlertMessage(only.Title, WithPath(only.Summary, baseUrl, only.LinkPath), only.LinkPath, Absolute(baseUrl, only.LinkPath));
        }

        var ips = events.Select(e => e.SendingIpId).Distinct().ToList();
        var path = ips is [{ } ip] ? $"/ips/{ip}" : AlertPaths.History;
        var from = events.Min(e => e.OccurredAt);
        var to = events.Max(e => e.OccurredAt);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{events.Count} {AlertEventKinds.Plural(kind)} between {IpVerdict.FormatTime(from)} and {IpVerdict.FormatTime(to)}, ")
            .Append(CultureInfo.InvariantCulture, $"held back by the {Minutes(window)} stacking window:").Append('\n');
        foreach (var e in events.Take(SummaryLines))
        {
            var link = Absolute(baseUrl, e.LinkPath) ?? e.LinkPath;
            text.Append("- ").Append(e.Summary).Append(" (").Append(link).Append(')').Append('\n');
        }

        if (events.Count > SummaryLines)
        {
            text.Append(CultureInfo.InvariantCulture, $"... and {events.Count - SummaryLines} more on the alert history page.").Append('\n');
        }

        var title = $"{events.Count} {AlertEventKinds.Plural(kind)}";
        return new AlertMessage(title, WithPath(text.ToString().TrimEnd('\n'), baseUrl, path), path, Absolute(baseUrl, path));
    }

    /// <summary>Without a public base URL the message cannot link: it names the page's path and where to set the address.</summary>
    private static string WithPath(string text, string? baseUrl, string path) =>
        string.IsNullOrWhiteSpace(baseUrl)
            ? $"{text}\nOpen {path} in Deliverability (no public base URL is set in Settings → Alerts, so this message cannot link to it)."
            : text;

    private static string Minutes(TimeSpan window) => window.TotalMinutes == 1 ? "1-minute" : $"{window.TotalMinutes:0}-minute";
}
