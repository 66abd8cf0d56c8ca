using System.Text;

namespace Deliverability.Core.Delisting;

/// <summary>The newest block bounce of a case: its code, the provider's reply and the stored message it came in.</summary>
public sealed record BlockEvidence(string? Code, string? Reply, DateTimeOffset OccurredAt, string? Message);

/// <summary>The copy-ready texts of a case: the request to the provider and, after a refusal, the escalation reply.</summary>
public static class DelistingRequestText
{
    /// <summary>
    /// Forms and ticket replies take a few thousand characters at most; a whole DSN with a returned message can be far
    /// larger. The headers come first in the message, so cutting the end keeps what the reviewer needs.
    /// </summary>
    public const int MaxMessageChars = 8000;

    public static string Request(string ip, DelistingProcess process, DelistingCase delistingCase, BlockEvidence? block, DelistingEvidence evidence)
    {
        var text = new StringBuilder();
        text.AppendLine("Hello,").AppendLine();
        text.Append("Mail from our sending IP ").Append(ip).Append(" is refused by ").Append(process.Name).AppendLine(".");
        text.AppendLine().Append("IP address: ").AppendLine(ip);
        var code = block?.Code ?? delistingCase.BlockCodes;
        if (code is not null)
        {
            text.Append("Error code: ").AppendLine(code);
        }

        if (block?.Reply is { } reply)
        {
            text.Append("Reply text: ").AppendLine(reply);
        }

        if (delistingCase.FirstBlockAt is { } first)
        {
            text.Append("First refused: ").AppendLine(Format(first));
        }

        AppendOurSide(text, delistingCase, evidence, "What we fixed before writing:");
        text.AppendLine().AppendLine(evidence.OpenItems.Count == 0
            ? "We ask you to review the IP and lift the block. We are happy to answer any question."
            : "We are working on the open items above and ask you to review the IP. We are happy to answer any question.");
        if (block?.Message is { } message)
        {
            text.AppendLine().AppendLine("A bounced message with its full headers:").AppendLine("-----");
            text.AppendLine(Cap(message)).AppendLine("-----");
        }

        return text.ToString();
    }

    public static string Escalation(string ip, DelistingProcess process, DelistingCase delistingCase, DelistingEvidence evidence)
    {
        var text = new StringBuilder();
        text.Append("Hello,").AppendLine().AppendLine();
        text.Append("Regarding ticket ").Append(delistingCase.TicketNumber ?? "(no ticket number)").Append(": mail from ").Append(ip)
            .Append(" is still refused by ").Append(process.Name).AppendLine(".");
        text.AppendLine("We ask you to escalate this request to a member of the deliverability team for a manual review.");
        AppendOurSide(text, delistingCase, evidence, "Since the block we have fixed:");
        if (delistingCase.BlockCodes is { } codes)
        {
            text.AppendLine().Append("The error we still get: ").AppendLine(codes);
        }

        text.AppendLine().AppendLine("Thank you for looking at it again.");
        return text.ToString();
    }

    /// <summary>
    /// Why copying the request deserves a second look: each open checklist item, each claim of the case's steps that the
    /// evidence does not verify, each overridden step. Empty when the text can go as it is.
    /// </summary>
    public static IReadOnlyList<string> Warnings(DelistingCase delistingCase, DelistingEvidence evidence)
    {
        var warnings = evidence.OpenItems.Select(i => $"Still open: {i.Title}").ToList();
        if (evidence.ChecksRunAt is null)
        {
            warnings.Add("The IP has never been checked (SPF, DKIM, DMARC, PTR, blocklists): the checklist may be missing problems.");
        }

        foreach (var (step, claim) in Claims(delistingCase, evidence))
        {
            if (step.State == DelistingStepState.Overridden)
            {
                warnings.Add($"Overridden: \"{step.Title}\" ({claim.Evidence})");
            }
            else if (!claim.IsVerified)
            {
                warnings.Add($"Not verified: \"{step.Title}\" ({claim.Evidence})");
            }
        }

        return warnings;
    }

    /// <summary>
    /// What was fixed, what is still open (by name), what the latest checks show and which steps were overridden. Says the
    /// checklist is clear only when it has no open item and the checks it is built from have run.
    /// </summary>
    private static void AppendOurSide(StringBuilder text, DelistingCase delistingCase, DelistingEvidence evidence, string fixedHeading)
    {
        if (evidence.Fixes.Count > 0)
        {
            text.AppendLine().AppendLine(fixedHeading);
            foreach (var fix in evidence.Fixes)
            {
                text.Append("- ").AppendLine(fix);
            }
        }

        if (evidence.OpenItems.Count > 0)
        {
            text.AppendLine().Append("Still open on our side (").Append(evidence.OpenItems.Count).Append(evidence.OpenItems.Count == 1 ? " item" : " items")
                .AppendLine(" of our remediation checklist):");
            foreach (var item in evidence.OpenItems)
            {
                text.Append("- ").AppendLine(item.Title);
            }
        }
        else if (evidence.ChecksRunAt is { } checkedAt)
        {
            text.AppendLine().Append("Our remediation checklist for this IP has no open item (latest checks ").Append(Format(checkedAt)).AppendLine(").");
        }

        var claims = Claims(delistingCase, evidence).Where(c => c.Claim.Kind != DelistingStepKind.ConfirmDelisting).ToList();
        if (evidence.ChecksRunAt is null)
        {
            text.AppendLine().AppendLine("Not verified yet: we have not run our DNS checks (SPF, DKIM, DMARC, PTR, blocklists) on this IP.");
        }

        var shown = claims.Where(c => c.Step.State != DelistingStepState.Overridden && (evidence.ChecksRunAt is not null || c.Claim.Kind == DelistingStepKind.SndsRegistration)).ToList();
        if (shown.Count > 0)
        {
            text.AppendLine().AppendLine("What our records show:");
            foreach (var (step, claim) in shown)
            {
                text.Append("- ").Append(step.Title).Append(claim.IsVerified ? ": yes. " : ": not confirmed. ").AppendLine(claim.Evidence);
            }
        }

        var overridden = claims.Where(c => c.Step.State == DelistingStepState.Overridden).ToList();
        if (overridden.Count > 0)
        {
            text.AppendLine().AppendLine("Marked done by us although our checks do not confirm it (overridden):");
            foreach (var (step, claim) in overridden)
            {
                text.Append("- ").Append(step.Title).Append(": overridden by ").Append(step.DoneBy).Append(step.DoneAt is { } at ? $" on {Format(at)}" : "")
                    .Append(" because \"").Append(step.OverrideReason).Append("\". Our records: ").AppendLine(claim.Evidence);
            }
        }
    }

    private static IEnumerable<(DelistingStep Step, DelistingClaim Claim)> Claims(DelistingCase delistingCase, DelistingEvidence evidence) =>
        delistingCase.Steps.OrderBy(s => s.Position)
            .Select(s => (Step: s, Claim: DelistingClaims.Judge(s.Kind, evidence)))
            .Where(c => c.Claim is not null)
            .Select(c => (c.Step, c.Claim!));

    /// <summary>The message cut to <see cref="MaxMessageChars"/>, saying so when it was cut.</summary>
    public static string Cap(string message)
    {
        var normalised = message.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        return normalised.Length <= MaxMessageChars
            ? normalised
            : string.Concat(normalised.AsSpan(0, MaxMessageChars), $"\n[... cut: {normalised.Length - MaxMessageChars:N0} more characters]");
    }

    public static string Format(DateTimeOffset time) => TimeText.Full(time);
}
