namespace Deliverability.Core.Bounces;

/// <summary>Reads RFC 3464 / RFC 6533 delivery-status fields, one result per recipient block.</summary>
internal static class DeliveryStatusReader
{
    public static List<RecipientResult> Read(BounceContext context)
    {
        var text = TextDecoding.DecodePart(context.Parts.DeliveryStatus!);
        var blocks = FieldBlocks.Read(text);
        var results = new List<RecipientResult>();
        if (blocks.Count == 0)
        {
            return results;
        }

        var perMessage = blocks[0].ContainsKey("Final-Recipient") || blocks[0].ContainsKey("Original-Recipient") ? null : blocks[0];
        var reportingMta = perMessage is not null && perMessage.TryGetValue("Reporting-MTA", out var reporting) ? FieldBlocks.StripType(reporting) : null;
        var arrival = perMessage is not null && perMessage.TryGetValue("Arrival-Date", out var arrivalText) ? BounceParser.ParseDate(arrivalText) : null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
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

            var recipient = SmtpCodes.CleanAddress(FieldBlocks.StripType(recipientField));
            if (recipient is null && Get(block, "Original-Recipient") is { } original)
            {
                recipient = SmtpCodes.CleanAddress(FieldBlocks.StripType(original));
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
                Action = Get(block, "Action")?.Trim().ToLowerInvariant(),
                Status = SmtpCodes.FindStatus(Get(block, "Status") ?? string.Empty),
                Diagnostic = string.IsNullOrWhiteSpace(diagnostic) ? null : diagnostic,
                DiagnosticType = diagnosticType,
                RemoteMta = Get(block, "Remote-MTA") is { } remote ? FieldBlocks.StripType(remote) : null,
                ReportingMta = reportingMta ?? (Get(block, "Reporting-MTA") is { } r ? FieldBlocks.StripType(r) : null),
                ArrivalDate = arrival ?? BounceParser.ParseDate(Get(block, "Last-Attempt-Date")),
            };
            results.Add(ResultBuilder.Build(facts, context));
        }

        return results;
    }

    private static string? Get(Dictionary<string, string> block, string name) =>
        block.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
