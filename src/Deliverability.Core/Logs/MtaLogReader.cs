using System.Collections;

namespace Deliverability.Core.Logs;

/// <summary>
/// Streams delivery attempts and logins out of Postfix and Exim logs. Reads one line at a time (each capped at
/// <see cref="MtaLogReadOptions.MaxLineLength"/>) and remembers a bounded number of queue ids, so a log of any size
/// is read in bounded memory and linear time.
/// </summary>
public static class MtaLogReader
{
    /// <summary>
    /// Reads the log lazily. The result can be enumerated once; its <see cref="MtaLogEntries.Counters"/> fill in as it is.
    /// </summary>
    public static MtaLogEntries Read(TextReader log, MtaLogReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineLength, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTrackedMessages, 1);
        return new MtaLogEntries(log, options);
    }

    /// <summary>
    /// True when most of a file's first lines start like Postfix or Exim log lines (syslog, RFC 3339 or Exim's own time
    /// stamp with a mail program): how an upload is told apart from a message.
    /// </summary>
    public static bool LooksLikeLog(IEnumerable<string> firstLines)
    {
        ArgumentNullException.ThrowIfNull(firstLines);
        // The time only places a yearless stamp in a year, which telling a log from a message does not need (a leap year, so 29 Feb reads).
        var options = new MtaLogReadOptions { ReferenceTime = new DateTimeOffset(2024, 12, 31, 0, 0, 0, TimeSpan.Zero) };
        var sample = firstLines.Where(l => l.Length > 0).Take(20).ToList();
        var hits = sample.Count(l => LogLineHeaderReader.TryRead(l, options, out var header)
            && (header.Program.StartsWith("postfix", StringComparison.OrdinalIgnoreCase) || header.Program.StartsWith("exim", StringComparison.OrdinalIgnoreCase)));
        return sample.Count > 0 && hits * 2 >= sample.Count;
    }

    internal static IEnumerable<MtaLogEntry> Enumerate(TextReader log, MtaLogReadOptions options, MtaLogCounters counters)
    {
        var lines = new BoundedLineReader(log, options.MaxLineLength);
        var contexts = new MessageContextCache(options.MaxTrackedMessages);
        var postfix = new PostfixLineReader(contexts);
        var exim = new EximLineReader(contexts);
        var found = new List<MtaLogEntry>();
        long lineNumber = 0;
        while (lines.TryRead(out var line, out var tooLong, out var unterminated))
        {
            lineNumber++;
            counters.LinesRead = lineNumber;
            counters.LastLineUnterminated = unterminated;
            found.Clear();
            string? problem;
            LineOutcome outcome;
            if (tooLong)
            {
                problem = $"line longer than {options.MaxLineLength} characters";
                outcome = LooksLikeMailLine(line) ? LineOutcome.Unreadable : LineOutcome.Skipped;
            }
            else
            {
                outcome = ReadLine(line, lineNumber, options, postfix, exim, found, out problem);
            }

            switch (outcome)
            {
                case LineOutcome.Unreadable:
                    counters.AddUnreadable(lineNumber, line, problem ?? "unreadable");
                    break;
                case LineOutcome.Skipped:
                    counters.Skipped++;
                    break;
                default:
                    foreach (var entry in found)
                    {
                        counters.Entries++;
                        yield return entry with { Line = line };
                    }

                    break;
            }
        }
    }

    private static LineOutcome ReadLine(string line, long lineNumber, MtaLogReadOptions options, PostfixLineReader postfix, EximLineReader exim,
        List<MtaLogEntry> found, out string? problem)
    {
        problem = null;
        if (line.Length == 0)
        {
            return LineOutcome.Skipped;
        }

        if (!LogLineHeaderReader.TryRead(line, options, out var header))
        {
            if (LooksLikeMailLine(line))
            {
                problem = "unrecognised time stamp or line start";
                return LineOutcome.Unreadable;
            }

            return LineOutcome.Skipped;
        }

        var program = header.Program;
        if (program.StartsWith("postfix", StringComparison.OrdinalIgnoreCase) && program.Contains('/', StringComparison.Ordinal))
        {
            return postfix.Read(header, lineNumber, found, out problem);
        }

        if (program.StartsWith("exim", StringComparison.OrdinalIgnoreCase))
        {
            if (LogLineHeaderReader.TryReadEximTime(header.Message, options, out var inner, out var rest))
            {
                // Exim writing to syslog with its own time stamp kept: that one has a year.
                header = header with { Time = inner, Message = rest.ToString() };
            }

            return exim.Read(header, lineNumber, found, out problem);
        }

        return LineOutcome.Skipped;
    }

    /// <summary>A line we failed to read that still has the marks of a delivery or login line.</summary>
    private static bool LooksLikeMailLine(string line)
    {
        var span = line.AsSpan(0, Math.Min(line.Length, 4096));
        return (span.Contains("to=<", StringComparison.Ordinal) && span.Contains("status=", StringComparison.Ordinal)) ||
            span.Contains(" ** ", StringComparison.Ordinal) || span.Contains(" => ", StringComparison.Ordinal) ||
            span.Contains(" == ", StringComparison.Ordinal) || span.Contains("sasl_username=", StringComparison.Ordinal) ||
            span.Contains(" authentication failed", StringComparison.Ordinal) || span.Contains(" authenticator failed", StringComparison.Ordinal);
    }
}

/// <summary>The entries of one log, read lazily; <see cref="Counters"/> describe the lines read so far.</summary>
public sealed class MtaLogEntries : IEnumerable<MtaLogEntry>
{
    private readonly TextReader _log;
    private readonly MtaLogReadOptions _options;
    private bool _started;

    internal MtaLogEntries(TextReader log, MtaLogReadOptions options)
    {
        _log = log;
        _options = options;
        Counters = new MtaLogCounters(_options.MaxUnreadableExamples);
    }

    public MtaLogCounters Counters { get; }

    public IEnumerator<MtaLogEntry> GetEnumerator()
    {
        if (_started)
        {
            throw new InvalidOperationException("A log can be read only once: read it again from the start with a new MtaLogReader.Read call.");
        }

        _started = true;
        return MtaLogReader.Enumerate(_log, _options, Counters).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
