namespace Deliverability.Core.Logs;

/// <summary>What a line reader made of one line.</summary>
internal enum LineOutcome
{
    /// <summary>Not a delivery or login line (or only context for later lines).</summary>
    Skipped,

    /// <summary>Read; zero or more entries were produced.</summary>
    Read,

    /// <summary>Looked like a delivery or login line but could not be read.</summary>
    Unreadable,
}
