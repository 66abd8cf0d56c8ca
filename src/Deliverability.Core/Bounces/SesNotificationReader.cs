using System.Text.Json;

namespace Deliverability.Core.Bounces;

/// <summary>Reads Amazon SES event notifications (JSON delivered by SNS e-mail): Bounce, Complaint and Delivery.</summary>
internal static class SesNotificationReader
{
    public static ParsedMessage? Read(BounceContext context)
    {
        var text = context.FullText;
        var start = text.IndexOf("{\"", StringComparison.Ordinal);
        if (start < 0 || !text.Contains("notificationType", StringComparison.Ordinal) && !text.Contains("eventType", StringComparison.Ordinal))
        {
            return null;
        }

        var end = text.LastIndexOf('}');
        if (end <= start)
        {
            return null;
        }

        // SNS e-mail wraps long lines with "!" + newline + space; undo that before parsing.
        var json = text[start..(end + 1)].Replace("!\r\n ", string.Empty, StringComparison.Ordinal).Replace("!\n ", string.Empty, StringComparison.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Message", out var inner) && inner.ValueKind == JsonValueKind.String)
            {
                using var innerDocument = JsonDocument.Parse(inner.GetString()!, new JsonDocumentOptions { MaxDepth = 32 });
                return FromNotification(innerDocument.RootElement, context);
            }

            return FromNotification(root, context);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ParsedMessage? FromNotification(JsonElement root, BounceContext context)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = String(root, "notificationType") ?? String(root, "eventType");
        var mail = root.TryGetProperty("mail", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var sender = mail.ValueKind == JsonValueKind.Object ? String(mail, "source") : null;
        var messageId = mail.ValueKind == JsonValueKind.Object ? String(mail, "messageId") : null;
        var results = new List<RecipientResult>();
        switch (type)
        {
            case "Bounce" when root.TryGetProperty("bounce", out var bounce) && bounce.ValueKind == JsonValueKind.Object:
            {
                var reporting = String(bounce, "reportingMTA");
                foreach (var r in Array(bounce, "bouncedRecipients"))
                {
                    var address = TextAddresses.Clean(String(r, "emailAddress") ?? string.Empty);
                    if (address is null)
                    {
                        continue;
                    }

                    var raw = new RawRecipient
                    {
                        Recipient = address,
                        Action = String(r, "action"),
                        Status = SmtpCodes.FindStatus(String(r, "status") ?? string.Empty),
                        Diagnostic = FieldBlocks.StripType(String(r, "diagnosticCode") ?? string.Empty) is { Length: > 0 } d ? d : null,
                        ReportingMta = reporting is null ? null : FieldBlocks.StripType(reporting),
                        ArrivalDate = Date(bounce, "timestamp"),
                        AttemptedAt = Date(bounce, "timestamp"),
                    };
                    results.Add(WithMail(ResultBuilder.Build(raw, context), sender, messageId));
                }

                return new ParsedMessage(MessageKind.Bounce, results, null);
            }

            case "Complaint" when root.TryGetProperty("complaint", out var complaint) && complaint.ValueKind == JsonValueKind.Object:
            {
                var feedbackType = String(complaint, "complaintFeedbackType") ?? "abuse";
                foreach (var r in Array(complaint, "complainedRecipients"))
                {
                    var address = TextAddresses.Clean(String(r, "emailAddress") ?? string.Empty);
                    if (address is null)
                    {
                        continue;
                    }

                    var raw = new RawRecipient
                    {
                        Recipient = address,
                        Diagnostic = "feedback report: " + feedbackType,
                        FeedbackType = feedbackType,
                        Kind = BounceKind.Feedback,
                        Reason = BounceReasons.Feedback,
                        ArrivalDate = Date(complaint, "timestamp"),
                    };
                    results.Add(WithMail(ResultBuilder.Build(raw, context), sender, messageId) with { Action = null, Status = null, ReplyCode = null });
                }

                return new ParsedMessage(MessageKind.Feedback, results, null);
            }

            case "Delivery" when root.TryGetProperty("delivery", out var delivery) && delivery.ValueKind == JsonValueKind.Object:
            {
                var response = String(delivery, "smtpResponse");
                foreach (var r in Array(delivery, "recipients"))
                {
                    var address = r.ValueKind == JsonValueKind.String ? TextAddresses.Clean(r.GetString()!) : null;
                    if (address is null)
                    {
                        continue;
                    }

                    var raw = new RawRecipient
                    {
                        Recipient = address,
                        Action = "delivered",
                        Status = SmtpCodes.FindStatus(response ?? string.Empty),
                        ReplyCode = response is { Length: >= 3 } && int.TryParse(response.AsSpan(0, 3), out var code) ? code : null,
                        Diagnostic = response,
                        RemoteMta = String(delivery, "remoteMtaIp"),
                        ReportingMta = String(delivery, "reportingMTA"),
                        ArrivalDate = Date(delivery, "timestamp"),
                        Kind = BounceKind.Delivered,
                        Reason = BounceReasons.Delivered,
                    };
                    results.Add(WithMail(ResultBuilder.Build(raw, context), sender, messageId));
                }

                return new ParsedMessage(MessageKind.Bounce, results, null);
            }

            default:
                return null;
        }
    }

    private static RecipientResult WithMail(RecipientResult result, string? sender, string? messageId)
    {
        var cleanSender = sender is null ? null : TextAddresses.Clean(sender);
        return result with
        {
            Sender = result.Sender ?? cleanSender,
            SenderDomain = result.SenderDomain ?? cleanSender?[(cleanSender.LastIndexOf('@') + 1)..],
            OriginalMessageId = result.OriginalMessageId ?? messageId,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Take(1000) : [];

    /// <summary>
    /// SES writes ISO 8601 with a "Z" ("2026-03-18T08:59:00.000Z"), which System.Text.Json reads without a culture; the
    /// general parser is the fallback (its first use builds the culture's token tables: about 50M instructions).
    /// </summary>
    private static DateTimeOffset? Date(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        if (value.TryGetDateTimeOffset(out var iso) && value.GetString() is { } withOffset && HasOffset(withOffset))
        {
            return iso;
        }

        return DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }

    /// <summary>Ends with "Z" or "+hh:mm"/"-hh:mm": without one, System.Text.Json would assume local time, not UTC.</summary>
    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
