namespace Deliverability.Core.Logs;

/// <summary>A line that looked like a delivery or login line but could not be read.</summary>
public sealed record UnreadableLine(long LineNumber, string Line, string Problem);

/// <summary>What reading a log found, filled in while the entries are enumerated.</summary>
public sealed class MtaLogCounters
{
    private readonly List<UnreadableLine> _examples = [];
    private readonly int _maxExamples;

    internal MtaLogCounters(int maxExamples) => _maxExamples = maxExamples;

    public long LinesRead { get; internal set; }

    public long Entries { get; internal set; }

    /// <summary>Lines that are not mail delivery or login lines (other programs, connects, queue bookkeeping...).</summary>
    public long Skipped { get; internal set; }

    /// <summary>Lines that looked like delivery or login lines but could not be read.</summary>
    public long Unreadable { get; internal set; }

    /// <summary>The first few unreadable lines, each cut to 500 characters.</summary>
    public IReadOnlyList<UnreadableLine> UnreadableExamples => _examples;

    /// <summary>True when the log's last line had no line break (the file may have been cut while being written).</summary>
    public bool LastLineUnterminated { get; internal set; }

    internal void AddUnreadable(long lineNumber, string line, string problem)
    {
        Unreadable++;
        if (_examples.Count < _maxExamples)
        {
            _examples.Add(new UnreadableLine(lineNumber, line.Length > 500 ? line[..500] : line, problem));
        }
    }
}
