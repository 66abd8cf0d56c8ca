using System.Buffers;

namespace Deliverability.Core.Bounces;

/// <summary>One group of texts that MTAs or receivers write for one reason, and where they were observed.</summary>
internal sealed record LexiconEntry(string Reason, string Source, string[] Phrases);

/// <summary>
/// The reason lexicon: for every reason, the texts that MTAs and receivers actually write in their replies and DSNs,
/// each group with the place it was observed (MTA source strings, provider documentation, RFCs, or the catalogue of
/// observed texts in Sisimai's reason modules, from which we learnt facts and wrote our own list).
/// Entries are searched in priority order: the first entry (top of the list) with a phrase anywhere in the text wins,
/// so the more specific reasons come first ("user unknown ... relay" stays a user problem, "connection rate limit"
/// stays a connection limit). Texts are matched lower-cased with whitespace collapsed to single spaces.
/// </summary>
internal static class ReasonLexicon
{
    internal const string Observed = "observed across MTAs and receivers (Sisimai reason catalogue, ";

    /// <summary>Every entry in priority order: the precise texts first, then the broad families.</summary>
    public static readonly LexiconEntry[] Entries = [.. LexiconPreciseTexts.Entries, .. LexiconFamilyTexts.Entries];

    /// <summary>Words too vague to beat a status code, used only when nothing else is known.</summary>
    private static readonly LexiconEntry[] Vague =
    [
        new(BounceReasons.UserUnknown, "generic", ["not found", "unknown"]),
        new(BounceReasons.PolicyViolation, "generic", ["policy"]),
        new(BounceReasons.SecurityError, "generic", ["security", "not permitted"]),
        new(BounceReasons.Filtered, "generic", ["filter"]),
        new(BounceReasons.Rejected, "generic", ["not allowed", "reject", "refused", "denied"]),
    ];

    /// <summary>Reasons a phrase in the text reveals better than a generic status code can.</summary>
    private static readonly HashSet<string> Strong =
    [
        BounceReasons.MailerError, BounceReasons.MailboxFull, BounceReasons.Suspend, BounceReasons.NoRelaying, BounceReasons.NotAccept, BounceReasons.RequirePtr, BounceReasons.AuthFailure,
        BounceReasons.VirusDetected, BounceReasons.TooManyConn, BounceReasons.Speeding, BounceReasons.BadReputation, BounceReasons.Blocked, BounceReasons.SpamDetected, BounceReasons.PolicyViolation, BounceReasons.Expired,
        BounceReasons.HasMoved, BounceReasons.FailedStartTls, BounceReasons.SystemFull,
    ];

    /// <summary>Every phrase of every entry, searched for in one pass.</summary>
    private static readonly SearchValues<string> AllPhrases = SearchValues.Create(Entries.SelectMany(r => r.Phrases).Distinct().ToArray(), StringComparison.Ordinal);

    /// <summary>For each first character, the phrases starting with it and the position of their entry.</summary>
    private static readonly Dictionary<char, (string Phrase, int Rule)[]> ByFirstChar = Entries
        .SelectMany((rule, index) => rule.Phrases.Select(phrase => (Phrase: phrase, Rule: index)))
        .GroupBy(p => p.Phrase[0])
        .ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>The reason of the first entry (in priority order) with a phrase anywhere in the text.</summary>
    public static string? Match(string lowerText) => MatchEntry(lowerText)?.Reason;

    /// <summary>The first entry (in priority order) with a phrase anywhere in the text: its reason and source.</summary>
    public static LexiconEntry? MatchEntry(string lowerText)
    {
        var text = lowerText.AsSpan();
        var best = int.MaxValue;
        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(AllPhrases);
            if (found < 0)
            {
                break;
            }

            var at = offset + found;
            var rest = text[at..];
            foreach (var (phrase, rule) in ByFirstChar[text[at]])
            {
                if (rule < best && rest.StartsWith(phrase, StringComparison.Ordinal))
                {
                    best = rule;
                }
            }

            if (best == 0)
            {
                break;
            }

            offset = at + 1;
        }

        return best == int.MaxValue ? null : Entries[best];
    }

    public static string? MatchVague(string lowerText)
    {
        foreach (var entry in Vague)
        {
            foreach (var phrase in entry.Phrases)
            {
                if (lowerText.Contains(phrase, StringComparison.Ordinal))
                {
                    return entry.Reason;
                }
            }
        }

        return null;
    }

    public static bool OverridesStatus(string reason) => Strong.Contains(reason);
}
