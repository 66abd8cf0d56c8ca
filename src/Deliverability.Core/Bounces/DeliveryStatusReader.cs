namespace Deliverability.Core.Bounces;

/// <summary>Reads RFC 3464 / RFC 6533 delivery-status fields, one result per recipient block.</summary>
internal static class DeliveryStatusReader
{
    public static List<RecipientResult> Read(BounceContext context)
    {
        var results = new List<RecipientResult>();
        var text = context.Parts.DeliveryStatus is { } part ? TextDecoding.DecodePart(part) : EmbeddedFields(context.FullText);
        if (text is null)
        {
            return results;
        }

        var blocks = FieldBlocks.Read(text);
        if (blocks.Count == 0)
        {
            return results;
        }

        var perMessage = blocks[0].ContainsKey("Final-Recipient") || blocks[0].ContainsKey("Original-Recipient") ? null : blocks[0];
        var reportingMta = perMessage is not null && perMessage.TryGetValue("Reporting-MTA", out var reporting) ? FieldBlocks.StripType(reporting) : null;
        var arrival = perMessage is not null && perMessage.TryGetValue("Arrival-Date", out var arrivalText) ? BounceParser.ParseDate(arrivalText) : null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipientBlocks = blocks.Count(b => !ReferenceEquals(b, perMessage) && (b.ContainsKey("Final-Recipient") || b.ContainsKey("Original-Recipient")));
        foreach (var block in blocks)
        {
            if (ReferenceEquals(block, perMessage))
            {
                continue;
            }

            var recipientField = Get(block, "Final-Recipient") ?? Get(block, "Original-Recipient") ?? Get(block, "X-Actual-Recipient");
            if (recipientField is null)
            {
                continue;
            }

            var recipient = TextAddresses.FromRecipientField(FieldBlocks.StripType(recipientField));
            var originalRecipient = Get(block, "Original-Recipient") is { } original ? TextAddresses.FromRecipientField(FieldBlocks.StripType(original)) : null;
            recipient ??= originalRecipient;

            if (recipient is null && results.Count == 0)
            {
                // "Final-Recipient: rfc822; @host" and the like: take the address the human-readable text names.
                recipient = TextBounceReader.FirstCandidate(context);
            }

            if (recipient is null || !seen.Add(recipient))
            {
                continue;
            }

            var diagnostic = Get(block, "Diagnostic-Code") is { } diag ? FieldBlocks.StripType(diag) : null;
            var diagnosticType = Get(block, "Diagnostic-Code") is { } diagRaw && diagRaw.Contains(';', StringComparison.Ordinal)
                ? diagRaw[..diagRaw.IndexOf(';', StringComparison.Ordinal)].Trim()
                : null;
            var facts = new RawRecipient
            {
                Recipient = recipient,
                OriginalRecipient = originalRecipient,
                Action = Get(block, "Action")?.Trim().ToLowerInvariant(),
                Status = SmtpCodes.FindStatus(Get(block, "Status") ?? string.Empty),
                Diagnostic = string.IsNullOrWhiteSpace(diagnostic) ? null : diagnostic,
                DiagnosticType = diagnosticType,
                RemoteMta = Get(block, "Remote-MTA") is { } remote ? FieldBlocks.StripType(remote) : null,
                ReportingMta = reportingMta ?? (Get(block, "Reporting-MTA") is { } r ? FieldBlocks.StripType(r) : null),
                ArrivalDate = arrival ?? BounceParser.ParseDate(Get(block, "Last-Attempt-Date")),
                AttemptedAt = BounceParser.ParseDate(Get(block, "Last-Attempt-Date")),
                SoleRecipient = recipientBlocks == 1,
            };
            results.Add(ResultBuilder.Build(facts, context));
        }

        return results;
    }

    private static string? Get(Dictionary<string, string> block, string name) =>
        block.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Delivery-status fields pasted into the text (a broken MIME boundary, or an MTA that never made a part).</summary>
    private static string? EmbeddedFields(string text)
    {
        var at = IndexOfLineStarting(text, "Final-Recipient:");
        if (at < 0)
        {
            return null;
        }

        var reporting = IndexOfLineStarting(text, "Reporting-MTA:");
        var start = reporting >= 0 && reporting < at ? reporting : at;
        var end = Math.Min(text.Length, start + 16384);
        return text[start..end];
    }

    private static int IndexOfLineStarting(string text, string prefix)
    {
        var at = 0;
        while ((at = text.IndexOf(prefix, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            if (at == 0 || text[at - 1] == '\n')
            {
                return at;
            }

            at += prefix.Length;
        }

        return -1;
    }
}
