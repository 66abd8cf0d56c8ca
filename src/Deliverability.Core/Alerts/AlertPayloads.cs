using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Deliverability.Core.Alerts;

/// <summary>The JSON bodies of the webhook channels: our own for the generic webhook, Slack's and Teams' for theirs.</summary>
public static class AlertPayloads
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>
    /// The generic webhook: <c>{"id","kind","title","text","link","linkPath","summary","eventCount","createdAt"}</c>, the link null
    /// when no public base URL is set.
    /// </summary>
    public static string Webhook(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new JsonObject
        {
            ["id"] = alert.Id,
            ["kind"] = alert.Kind.ToString(),
            ["title"] = alert.Title,
            ["text"] = alert.Text,
            ["link"] = alert.Link,
            ["linkPath"] = alert.LinkPath,
            ["summary"] = alert.IsSummary,
            ["eventCount"] = alert.EventCount,
            ["createdAt"] = alert.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        }.ToJsonString(Compact);
    }

    /// <summary>Slack incoming webhook: a fallback <c>text</c> and <c>blocks</c> (header, mrkdwn section, a link button when it can link).</summary>
    public static string Slack(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(alert.Title, 150) } },
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(SlackEscape(alert.Text), 3000) } },
        };
        if (alert.Link is { } link)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "button", ["url"] = link,
                        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Open in Deliverability" },
                    },
                },
            });
        }

        return new JsonObject { ["text"] = SlackEscape(alert.Title), ["blocks"] = blocks }.ToJsonString(Compact);
    }

    /// <summary>Microsoft Teams incoming webhook: a MessageCard with an "Open in Deliverability" action when it can link.</summary>
    public static string Teams(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var card = new JsonObject
        {
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = alert.Title,
            ["themeColor"] = alert.Kind is AlertEventKind.IpUnblocked or AlertEventKind.BlocklistDelisted ? "2E7D32" : "C62828",
            ["title"] = alert.Title,
            // MessageCard text is Markdown: escape what would format, keep the line breaks.
            ["text"] = TeamsEscape(alert.Text).Replace("\n", "\n\n", StringComparison.Ordinal),
        };
        if (alert.Link is { } link)
        {
            card["potentialAction"] = new JsonArray
            {
                new JsonObject
                {
                    ["@type"] = "OpenUri", ["name"] = "Open in Deliverability",
                    ["targets"] = new JsonArray { new JsonObject { ["os"] = "default", ["uri"] = link } },
                },
            };
        }

        return card.ToJsonString(Compact);
    }

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters (links, mentions): they are sent escaped.</summary>
    public static string SlackEscape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string TeamsEscape(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#') escaped.Append('\\');
            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
