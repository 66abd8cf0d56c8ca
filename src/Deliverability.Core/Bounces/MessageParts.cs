using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>The parts of a bounce that matter, found by walking its MIME tree once.</summary>
internal sealed class MessageParts
{
    [ThreadStatic]
    private static MimeParser? headerParser;

    private MimePart? pendingHtml;

    public MimePart? DeliveryStatus { get; private set; }
    public MimePart? FeedbackReport { get; private set; }

    /// <summary>
    /// The header fields of the returned original message (message/rfc822, text/rfc822-headers, ...) that are read, if
    /// any; for a bounce cut before the original's headers (<see cref="ReturnedMessageCut"/>), those read there.
    /// </summary>
    public List<OriginalField>? OriginalFields { get; private set; }

    private List<OriginalField>? cutOriginalFields;

    /// <summary>Human-readable text parts, in order, before the returned message.</summary>
    public List<string> Texts { get; } = [];

    public static MessageParts Collect(MimeMessage message, int maxParts, int maxDepth, List<OriginalField>? cutOriginalFields = null)
    {
        var parts = new MessageParts { cutOriginalFields = cutOriginalFields };
        var count = 0;
        parts.Walk(message.Body, 0, maxParts, maxDepth, ref count);
        if (parts.Texts.Count == 0 && parts.pendingHtml is not null)
        {
            parts.Texts.Add(HtmlText.ToPlainText(TextDecoding.DecodePart(parts.pendingHtml)));
        }

        return parts;
    }

    private void Walk(MimeEntity? entity, int depth, int maxParts, int maxDepth, ref int count)
    {
        if (entity is null || depth > maxDepth || ++count > maxParts)
        {
            return;
        }

        switch (entity)
        {
            case Multipart { Count: 0 } broken:
                // The boundary in the header matches nothing: the whole body ended up in the preamble.
                var body = (broken.Preamble ?? string.Empty) + "\n" + (broken.Epilogue ?? string.Empty);
                if (body.Length > TextDecoding.MaxPartBytes)
                {
                    body = body[..TextDecoding.MaxPartBytes];
                }

                Texts.Add(body);
                break;
            case Multipart multipart:
                var hasPlain = multipart.ContentType.IsMimeType("multipart", "alternative") &&
                    multipart.Any(p => p.ContentType.IsMimeType("text", "plain"));
                foreach (var child in multipart)
                {
                    if (hasPlain && child.ContentType.IsMimeType("text", "html"))
                    {
                        continue;
                    }

                    Walk(child, depth + 1, maxParts, maxDepth, ref count);
                }

                break;
            case MessagePart messagePart:
                if (OriginalFields is null && cutOriginalFields is not null &&
                    messagePart.Message is null or { Headers.Count: 0, Body: null })
                {
                    OriginalFields = cutOriginalFields;
                }
                else if (OriginalFields is null && messagePart.Message is not null)
                {
                    OriginalFields = OriginalMessage.FieldsOf(messagePart.Message.Headers);
                    // Some MTAs wrap the whole bounce in a message/rfc822 part: read its text too when we have none.
                    var innerType = messagePart.Message.Body?.ContentType;
                    var innerIsReport = innerType is not null && innerType.IsMimeType("multipart", "report");
                    if (DeliveryStatus is null && (Texts.Count == 0 || innerIsReport) && depth <= 2)
                    {
                        var inner = new MessageParts();
                        inner.Walk(messagePart.Message.Body, depth + 1, maxParts, maxDepth, ref count);
                        if (inner.DeliveryStatus is not null || innerIsReport)
                        {
                            DeliveryStatus = inner.DeliveryStatus;
                            Texts.AddRange(inner.Texts);
                            OriginalFields = inner.OriginalFields ?? OriginalFields;
                        }
                    }
                }

                break;
            case MimePart part:
                Classify(part);
                break;
        }
    }

    private void Classify(MimePart part)
    {
        var type = part.ContentType;
        var mime = type.MimeType.ToLowerInvariant();
        switch (mime)
        {
            case "message/delivery-status":
            case "message/global-delivery-status":
                DeliveryStatus ??= part;
                return;
            case "message/feedback-report":
                FeedbackReport ??= part;
                return;
            case "text/rfc822-headers":
            case "message/rfc822-headers":
            case "message/global-headers":
            case "text/rfc822":
            case "message/rfc822":
            case "message/global":
            case "message/partial":
                if (OriginalFields is null)
                {
                    OriginalFields = LoadFields(TextDecoding.DecodedBytes(part));
                }

                return;
        }

        if (type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            if (part.IsAttachment && Texts.Count > 0 && !type.IsMimeType("text", "plain"))
            {
                return;
            }

            if (type.MediaSubtype.Equals("html", StringComparison.OrdinalIgnoreCase))
            {
                // HTML copies usually repeat the plain text: read them only if there is no plain text at all.
                pendingHtml ??= part;
                return;
            }

            Texts.Add(TextDecoding.DecodePart(part));
        }
    }

    /// <summary>The fields of a header block read from its bytes: plain blocks here, others by MimeKit; null when it has no header.</summary>
    public static List<OriginalField>? LoadFields(byte[] bytes) =>
        PlainHeaderBlock.ReadFields(bytes, untilFirstBlankLine: true) ?? (LoadHeaders(bytes) is { } headers ? OriginalMessage.FieldsOf(headers) : null);

    private static HeaderList? LoadHeaders(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var parser = headerParser ??= new MimeParser(Stream.Null, MimeFormat.Entity);
            parser.SetStream(stream, MimeFormat.Entity);
            var headers = parser.ParseHeaders();
            return headers.Count > 0 ? headers : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
