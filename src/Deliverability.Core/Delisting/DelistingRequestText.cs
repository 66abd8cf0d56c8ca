using System.Globalization;
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

    public static string Request(string ip, DelistingProcess process, DelistingCase delistingCase, BlockEvidence? block, IReadOnlyList<string> fixes)
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

        text.AppendLine().AppendLine(fixes.Count == 0 ? "What we checked: no open problem was found on our side." : "What we fixed before writing:");
        foreach (var fix in fixes)
        {
            text.Append("- ").AppendLine(fix);
        }

        text.AppendLine().AppendLine("We ask you to review the IP and lift the block. We are happy to answer any question.");
        if (block?.Message is { } message)
        {
            text.AppendLine().AppendLine("A bounced message with its full headers:").AppendLine("-----");
            text.AppendLine(Cap(message)).AppendLine("-----");
        }

        return text.ToString();
    }

    public static string Escalation(string ip, DelistingProcess process, DelistingCase delistingCase, IReadOnlyList<string> fixes)
    {
        var text = new StringBuilder();
        text.Append("Hello,").AppendLine().AppendLine();
        text.Append("Regarding ticket ").Append(delistingCase.TicketNumber ?? "(no ticket number)").Append(": mail from ").Append(ip)
            .Append(" is still refused by ").Append(process.Name).AppendLine(".");
        text.AppendLine("We ask you to escalate this request to a member of the deliverability team for a manual review.");
        text.AppendLine();
        text.AppendLine(fixes.Count == 0 ? "We found no open problem on our side." : "Since the block we have fixed:");
        foreach (var fix in fixes)
        {
            text.Append("- ").AppendLine(fix);
        }

        if (delistingCase.BlockCodes is { } codes)
        {
            text.AppendLine().Append("The error we still get: ").AppendLine(codes);
        }

        text.AppendLine().AppendLine("Thank you for looking at it again.");
        return text.ToString();
    }

    /// <summary>The message cut to <see cref="MaxMessageChars"/>, saying so when it was cut.</summary>
    public static string Cap(string message)
    {
        var normalised = message.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        return normalised.Length <= MaxMessageChars
            ? normalised
            : string.Concat(normalised.AsSpan(0, MaxMessageChars), $"\n[... cut: {normalised.Length - MaxMessageChars:N0} more characters]");
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
