using Deliverability.Core.Bounces;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Evidence;

/// <summary>One step of the reason's decision and what it found in the stored row.</summary>
public sealed record ReasonStep(string Step, string? Reason, string Finding, bool Decided);

/// <summary>
/// "Why this reason": the stored reply and status read again through the parser's own rule tables, in the order the
/// parser asks them (docs/parser.md "How the reason is decided": receiver, lexicon weighed against the status code,
/// stage and expiry). The parser stores only the reason it chose, not the rule; this re-reading is read-only and
/// marks the first step whose answer is the stored reason. When no table gives the stored reason, it says the stage
/// or expiry rules (or a reading of the whole message the row does not keep) decided it, rather than guessing which.
/// </summary>
public static class ReasonExplanation
{
    public static IReadOnlyList<ReasonStep> Explain(string? storedReason, string? provider, string? status, int? replyCode, string? diagnostic, string? command)
    {
        var text = ReasonClassifier.Normalise(diagnostic);
        command ??= text.Length == 0 ? null : SmtpCommand.Find(text);
        var steps = new List<ReasonStep>();
        var decided = false;

        void Add(string step, string? reason, string finding)
        {
            var decides = !decided && reason is not null && reason == storedReason;
            decided |= decides;
            steps.Add(new ReasonStep(step, reason, finding, decides));
        }

        var byReceiver = text.Length == 0 ? null : ReceiverCatalog.ReasonFor(provider, text, replyCode, command, status);
        Add("Receiver's documented text", byReceiver, provider is null ? "the receiver is not known"
            : byReceiver is null ? $"no documented text of {ProviderNames.Display(provider)} in the reply" : $"{ProviderNames.Display(provider)} documents this reply as {byReceiver}");

        var entry = text.Length == 0 ? null : ReasonLexicon.MatchEntry(text);
        var phrase = entry?.Phrases.FirstOrDefault(p => text.Contains(p, StringComparison.Ordinal));
        Add("Phrase in the reply", entry?.Reason, entry is null ? (text.Length == 0 ? "the row holds no reply text" : "no phrase of the lexicon in the reply")
            : $"\"{phrase}\" (source: {entry.Source})");

        var byStatus = StatusRules.Match(status);
        Add("Enhanced status code", byStatus, status is null ? "no enhanced status code" : byStatus is null ? $"{status} names no reason" : $"{status} means {byStatus}"
            + (status.Length >= 3 && StatusRules.IsAuthoritative(status) ? " (precise: beats a vague phrase)" : ""));

        if (!decided)
        {
            steps.Add(new ReasonStep("Stage and expiry", storedReason, command is null
                ? "no table above gives the stored reason: the SMTP stage, the delivery's expiry or the rest of the message decided it"
                : $"refused at {command}: the stage rule decided it", true));
        }

        return steps;
    }
}
