using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deliverability.Core.Bounces;

namespace Deliverability.Cli.Commands;

/// <summary>
/// <c>deliverability bench lexicon [DIR]</c>: how many of the texts a peer's catalogue says MTAs write for each reason
/// our parser reads as that reason. The texts are the literal phrase lists in Sisimai's reason modules
/// (DIR/Reason/*.pm, default /usr/share/perl5/Sisimai) and the reason tables of its MTA and receiver modules
/// (DIR/Lhost/*.pm, DIR/Rhost/*.pm, <c>$messagesof</c>): facts read at bench time, never copied into our code.
/// Each phrase is placed alone in a minimal RFC 3464 DSN (Status 5.0.0, no SMTP stage) and in a plain-text bounce.
/// </summary>
internal static partial class BenchLexiconCommand
{
    /// <summary>Reasons a peer names that are not failures we classify from a phrase.</summary>
    private static readonly string[] ModuleDirectories = ["Lhost", "Rhost"];

    private static readonly HashSet<string> NotFailureReasons = [BounceReasons.Vacation, BounceReasons.Delivered, BounceReasons.Feedback, BounceReasons.Undefined];

    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Sisimai's library directory.", DefaultValueFactory = _ => "/usr/share/perl5/Sisimai" };
        var verbose = new Option<bool>("--verbose") { Description = "List every phrase read as another reason." };
        var command = new Command("lexicon", "Place every phrase of a peer's reason catalogue alone in a minimal bounce and count how many get that reason.") { dir, verbose };
        command.SetAction(parseResult =>
        {
            var parser = new BounceParser();
            var library = parseResult.GetRequiredValue(dir);
            var phrases = ReadPhrases(library);
            Console.WriteLine("== Reason/*.pm phrase lists ==");
            Report(parser, phrases, parseResult.GetValue(verbose));
            Console.WriteLine();
            Console.WriteLine("== Lhost/*.pm and Rhost/*.pm reason tables ==");
            Report(parser, ReadMessageTables(library), parseResult.GetValue(verbose));
        });
        return command;
    }

    private static void Report(BounceParser parser, List<(string Reason, string Phrase)> phrases, bool verbose)
    {
        var perReason = new SortedDictionary<string, (int Total, int Dsn, int Text)>(StringComparer.Ordinal);
        var misses = new List<string>();
        foreach (var (reason, phrase) in phrases)
        {
            var dsn = ReasonOf(parser, MinimalDsn(phrase));
            var text = ReasonOf(parser, PlainTextBounce(phrase));
            var (total, dsnHits, textHits) = perReason.GetValueOrDefault(reason);
            perReason[reason] = (total + 1, dsnHits + (dsn == reason ? 1 : 0), textHits + (text == reason ? 1 : 0));
            if (dsn != reason || text != reason)
            {
                misses.Add($"  {reason,-16} dsn={dsn,-16} text={text,-16} \"{phrase}\"");
            }
        }

        Console.WriteLine($"{"reason",-16} {"texts",5} {"dsn",5} {"plain",5}");
        foreach (var (reason, (total, dsnHits, textHits)) in perReason)
        {
            Console.WriteLine($"{reason,-16} {total,5} {dsnHits,5} {textHits,5}");
        }

        var all = perReason.Values.Sum(v => v.Total);
        var dsnAll = perReason.Values.Sum(v => v.Dsn);
        var textAll = perReason.Values.Sum(v => v.Text);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"all",-16} {all,5} {dsnAll,5} {textAll,5}   DSN {dsnAll}/{all}, plain text {textAll}/{all}"));
        if (verbose)
        {
            misses.ForEach(Console.WriteLine);
        }
    }

    /// <summary>
    /// The texts of the MTA and receiver modules' <c>$messagesof</c> tables (<c>'reason' =&gt; ['text', ...]</c>, some
    /// entries as [reply code, status, text]); reply codes and status codes alone are left out.
    /// </summary>
    private static List<(string Reason, string Phrase)> ReadMessageTables(string dir)
    {
        var result = new List<(string, string)>();
        var files = ModuleDirectories.Select(d => Path.Combine(dir, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.pm")).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var inTable = false;
            string? reason = null;
            foreach (var line in File.ReadLines(file))
            {
                var trimmed = line.TrimStart();
                if (MessagesOfStart().IsMatch(line))
                {
                    inTable = true;
                    continue;
                }

                if (!inTable || trimmed.StartsWith('#') || trimmed.Contains("qr", StringComparison.Ordinal))
                {
                    continue;
                }

                if (trimmed.StartsWith("};", StringComparison.Ordinal))
                {
                    inTable = false;
                    continue;
                }

                var key = ReasonKey().Match(line);
                var rest = line;
                if (key.Success)
                {
                    reason = key.Groups[1].Value;
                    rest = line[(key.Index + key.Length)..];
                }

                foreach (Match quoted in AnyQuoted().Matches(rest))
                {
                    var text = (quoted.Groups[1].Success ? quoted.Groups[1].Value : quoted.Groups[2].Value).Trim();
                    if (reason is not null && !NotFailureReasons.Contains(reason) && text.Length > 3 && !CodeOnly().IsMatch(text))
                    {
                        result.Add((reason, text.Replace("\\", "", StringComparison.Ordinal)));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The single-quoted strings of each reason module's literal phrase list (<c>state $index = [ ... ];</c>).</summary>
    private static List<(string Reason, string Phrase)> ReadPhrases(string dir)
    {
        var result = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(Path.Combine(dir, "Reason"), "*.pm").Order(StringComparer.Ordinal))
        {
            var reason = Path.GetFileNameWithoutExtension(file).ToLowerInvariant();
            if (NotFailureReasons.Contains(reason))
            {
                continue;
            }

            var inList = false;
            foreach (var line in File.ReadLines(file))
            {
                if (IndexStart().IsMatch(line))
                {
                    inList = true;
                    continue;
                }

                if (inList && line.TrimStart().StartsWith("];", StringComparison.Ordinal))
                {
                    inList = false;
                }

                var quoted = inList ? QuotedString().Match(line) : Match.Empty;
                if (quoted.Success)
                {
                    result.Add((reason, quoted.Groups[1].Value.Trim()));
                }
            }
        }

        return result;
    }

    private static string ReasonOf(BounceParser parser, string message)
    {
        var parsed = parser.Parse(Encoding.UTF8.GetBytes(message));
        return parsed.Recipients.Count == 0 ? "(none)" : parsed.Recipients[0].Reason;
    }

    private static string MinimalDsn(string phrase) => string.Join("\r\n",
        "From: MAILER-DAEMON@mx.example.net", "To: sender@example.org", "Subject: Delivery Status Notification (Failure)",
        "Date: Tue, 1 Dec 2026 10:00:00 +0000", "MIME-Version: 1.0",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"", "",
        "--b", "Content-Type: text/plain", "", "Your message could not be delivered.", "",
        "--b", "Content-Type: message/delivery-status", "", "Reporting-MTA: dns; mx.example.net", "",
        "Final-Recipient: rfc822; user@example.com", "Action: failed", "Status: 5.0.0",
        "Diagnostic-Code: smtp; 550 " + phrase, "",
        "--b", "Content-Type: text/rfc822-headers", "", "From: sender@example.org", "To: user@example.com", "Subject: hello", "",
        "--b--", "");

    private static string PlainTextBounce(string phrase) => string.Join("\r\n",
        "From: MAILER-DAEMON@mx.example.net", "To: sender@example.org", "Subject: Undelivered Mail Returned to Sender",
        "Date: Tue, 1 Dec 2026 10:00:00 +0000", "", "This is the mail system at host mx.example.net.", "",
        "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.", "",
        "<user@example.com>: host mx.example.com[192.0.2.10] said: 550 " + phrase, "",
        "------ This is a copy of the message's headers. ------", "", "From: sender@example.org", "To: user@example.com", "Subject: hello", "");

    [GeneratedRegex(@"state \$messagesof\s*=\s*\{")]
    private static partial Regex MessagesOfStart();

    [GeneratedRegex(@"^\s*'(\w+)'\s*=>")]
    private static partial Regex ReasonKey();

    [GeneratedRegex(@"'((?:[^'\\]|\\.)*)'|""((?:[^""\\]|\\.)*)""")]
    private static partial Regex AnyQuoted();

    [GeneratedRegex(@"^[0-9.]+$")]
    private static partial Regex CodeOnly();

    [GeneratedRegex(@"state \$index\s*=\s*\[")]
    private static partial Regex IndexStart();

    [GeneratedRegex(@"^\s*'([^']+)'")]
    private static partial Regex QuotedString();
}
