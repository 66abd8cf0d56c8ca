using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Deliverability.Core.Bounces;

namespace Deliverability.Cli.Commands;

/// <summary>
/// Compares parser output with a labelled corpus (expected.tsv: file, module, status, replycode, reason, hardbounce, rcpt_index, ...).
/// The corpus is split in two fixed parts: a file is BLIND when the SHA-256 (lowercase hex) of its base name starts with 0-4,
/// else DEV. Rules are written against the dev part only; the blind part shows whether they generalise, so it is only ever
/// reported as totals (never a file name, a text or a confusion).
/// </summary>
internal static class AccuracyReport
{
    public static bool IsBlind(string file)
    {
        var name = Path.GetFileName(file);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return hash[0] >> 4 <= 4;
    }

    public static int Run(string dir, bool verbose)
    {
        var expectedPath = Path.Combine(dir, "expected.tsv");
        if (!File.Exists(expectedPath))
        {
            Console.Error.WriteLine($"{expectedPath} not found.");
            return 2;
        }

        var rows = File.ReadLines(expectedPath).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length >= 7).ToList();
        var baseDir = Directory.Exists(Path.Combine(dir, "emails")) ? Path.Combine(dir, "emails") : dir;
        var parser = new BounceParser();
        var cache = new Dictionary<string, ParsedMessage>(StringComparer.Ordinal);
        var dev = new Part("DEV");
        var blind = new Part("BLIND");
        var culture = CultureInfo.InvariantCulture;
        foreach (var row in rows)
        {
            var file = row[0];
            if (!cache.TryGetValue(file, out var parsed))
            {
                var full = Path.Combine(baseDir, file);
                parsed = File.Exists(full) ? parser.Parse(File.ReadAllBytes(full)) : ParsedMessage.Failed(MessageKind.Unreadable, "missing file");
                cache[file] = parsed;
            }

            var index = int.Parse(row[6], culture) - 1;
            var got = index >= 0 && index < parsed.Recipients.Count ? parsed.Recipients[index] : null;
            var part = IsBlind(file) ? blind : dev;
            var outcome = part.Add(row, got);
            if (verbose && part == dev && got?.Provider is null && MailboxGiantOf(got?.RemoteMta) is { } giant)
            {
                Console.WriteLine($"{file}#{index + 1} [{row[1]}]: provider empty, remote MTA {got!.RemoteMta} is {giant}'s");
            }

            if (verbose && part == dev && !outcome.AllAgree)
            {
                var diag = got?.Diagnostic ?? parsed.Error ?? string.Empty;
                Console.WriteLine($"{file}#{index + 1} [{row[1]}]: reason {row[4]}/{got?.Reason ?? "(none)"} status {row[2]}/{got?.Status} reply {row[3]}/{got?.ReplyCode} provider {got?.Provider}  | {(diag.Length > 200 ? diag[..200] : diag)}");
            }
        }

        dev.Print(withConfusions: true);
        blind.Print(withConfusions: false);
        return 0;
    }

    /// <summary>
    /// Microsoft, Google or Yahoo when a host name is one of theirs (Exchange Online and Outlook.com's *.outlook.com
    /// and hotmail.com, Google's google.com/googlemail.com, Yahoo's yahoodns.net/yahoo.com and AOL's aol.com); else null.
    /// Independent of the parser's own detection, so the report can count the bounces it missed.
    /// </summary>
    private static string? MailboxGiantOf(string? host)
    {
        var h = (host ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        bool Under(string domain) => h == domain || h.EndsWith("." + domain, StringComparison.Ordinal);
        return h.Length == 0 ? null
            : Under("outlook.com") || Under("hotmail.com") ? "Microsoft"
            : Under("google.com") || Under("googlemail.com") ? "Google"
            : Under("yahoodns.net") || Under("yahoo.com") || Under("aol.com") ? "Yahoo"
            : null;
    }

    /// <summary>Sisimai writes X.0.9NN when the message had no status code; those labels are not facts to score.</summary>
    private static bool IsInventedStatus(string status) => status.Length >= 7 && status[1..4] == ".0." && status[4] == '9';

    private sealed record Outcome(bool AllAgree);

    private sealed class Tally
    {
        public int Total { get; set; }

        public int Found { get; set; }

        public int ReasonOk { get; set; }

        public int ProviderSet { get; set; }
    }

    private sealed class Part(string name)
    {
        private readonly Tally _all = new();
        private readonly Dictionary<string, Tally> _byReason = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Tally> _byFamily = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _confusions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byProvider = new(StringComparer.Ordinal);
        private int _giantRemoteWithoutProvider;
        private int _giantReporterWithoutProvider;
        private int _statusTotal;
        private int _statusOk;
        private int _replyTotal;
        private int _replyOk;

        public Outcome Add(string[] row, RecipientResult? got)
        {
            var culture = CultureInfo.InvariantCulture;
            var expectedReason = row[4];
            var gotReason = got?.Reason ?? "(none)";
            var reasonOk = expectedReason == gotReason;
            foreach (var tally in new[] { _all, Get(_byReason, expectedReason), Get(_byFamily, row[1]) })
            {
                tally.Total++;
                tally.Found += got is null ? 0 : 1;
                tally.ReasonOk += reasonOk ? 1 : 0;
                tally.ProviderSet += got?.Provider is null ? 0 : 1;
            }

            if (got is not null)
            {
                var provider = got.Provider ?? "(none)";
                _byProvider[provider] = _byProvider.GetValueOrDefault(provider) + 1;
                _giantRemoteWithoutProvider += got.Provider is null && MailboxGiantOf(got.RemoteMta) is not null ? 1 : 0;
                _giantReporterWithoutProvider += got.Provider is null && MailboxGiantOf(got.RemoteMta) is null && MailboxGiantOf(got.ReportingMta) is not null ? 1 : 0;
            }

            if (!reasonOk)
            {
                var key = $"{expectedReason} -> {gotReason}";
                _confusions[key] = _confusions.GetValueOrDefault(key) + 1;
            }

            var expectedStatus = row[2];
            var statusScored = expectedStatus.Length > 0 && !IsInventedStatus(expectedStatus);
            var statusMatch = !statusScored || got?.Status == expectedStatus;
            if (statusScored)
            {
                _statusTotal++;
                _statusOk += statusMatch ? 1 : 0;
            }

            var expectedReply = row[3];
            var replyMatch = expectedReply.Length == 0 || got?.ReplyCode?.ToString(culture) == expectedReply;
            if (expectedReply.Length > 0)
            {
                _replyTotal++;
                _replyOk += replyMatch ? 1 : 0;
            }

            return new Outcome(reasonOk && statusMatch && replyMatch);
        }

        public void Print(bool withConfusions)
        {
            var culture = CultureInfo.InvariantCulture;
            Console.WriteLine($"== {name} part ({_all.Total} rows) ==");
            Console.WriteLine($"recipients found: {Pct(_all.Found, _all.Total)}");
            Console.WriteLine($"reason agreement: {Pct(_all.ReasonOk, _all.Total)}");
            Console.WriteLine($"status agreement: {Pct(_statusOk, _statusTotal)} (X.0.9NN labels skipped)");
            Console.WriteLine($"reply code agreement: {Pct(_replyOk, _replyTotal)}");
            Console.WriteLine("bounces per provider: " + string.Join(", ", _byProvider.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(culture, $"{p.Key} {p.Value}"))));
            Console.WriteLine(string.Create(culture, $"provider empty where the remote MTA is Microsoft's, Google's or Yahoo's: {_giantRemoteWithoutProvider}"));
            Console.WriteLine(string.Create(culture, $"provider empty where only the reporting MTA is theirs (they relayed another server's answer, or no server answered): {_giantReporterWithoutProvider}"));
            PrintTable("per reason (expected)", _byReason);
            PrintTable("per MTA family", _byFamily);
            if (!withConfusions)
            {
                Console.WriteLine();
                return;
            }

            Console.WriteLine("top confusions (expected -> got):");
            foreach (var (key, count) in _confusions.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(20))
            {
                Console.WriteLine(string.Create(culture, $"  {count,4}  {key}"));
            }

            Console.WriteLine();
        }

        private static void PrintTable(string title, Dictionary<string, Tally> tallies)
        {
            var culture = CultureInfo.InvariantCulture;
            Console.WriteLine($"{title}:  rows  recipients  reason  provider-set");
            foreach (var (key, t) in tallies.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(culture, $"  {key,-22} {t.Total,4}  {t.Found,4}  {t.ReasonOk,4} ({100.0 * t.ReasonOk / t.Total,5:F1}%)  {t.ProviderSet,4}"));
            }
        }

        private static Tally Get(Dictionary<string, Tally> tallies, string key)
        {
            if (!tallies.TryGetValue(key, out var tally))
            {
                tally = new Tally();
                tallies[key] = tally;
            }

            return tally;
        }

        private static string Pct(int ok, int total) => total == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * ok / total:F1}% ({ok}/{total})");
    }
}
