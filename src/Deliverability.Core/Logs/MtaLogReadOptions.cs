namespace Deliverability.Core.Logs;

/// <summary>How to read a mail log.</summary>
public sealed record MtaLogReadOptions
{
    /// <summary>
    /// The latest time the log can be from (normally the clock's "now"). Syslog lines carry no year: each gets the latest
    /// year that does not put it after this time (plus <see cref="FutureTolerance"/>).
    /// </summary>
    public required DateTimeOffset ReferenceTime { get; init; }

    /// <summary>UTC offset of timestamps that carry none (syslog "Nov 27 14:02:11", Exim without log_timezone).</summary>
    public TimeSpan LocalOffset { get; init; } = TimeSpan.Zero;

    /// <summary>How far after <see cref="ReferenceTime"/> a line may be before it is moved to the previous year (clock skew).</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Host name to use when the log does not name one (an Exim main log has no host field).</summary>
    public string? HostName { get; init; }

    /// <summary>Longer lines are not read (cut off, and reported as unreadable when they look like mail lines).</summary>
    public int MaxLineLength { get; init; } = 16 * 1024;

    /// <summary>How many unreadable lines to keep as examples.</summary>
    public int MaxUnreadableExamples { get; init; } = 5;

    /// <summary>How many queue ids to remember (sender, message-id, login) between lines; the oldest are forgotten first.</summary>
    public int MaxTrackedMessages { get; init; } = 50_000;

    /// <summary>Options whose reference time is the clock's current time.</summary>
    public static MtaLogReadOptions At(TimeProvider clock) => new() { ReferenceTime = clock.GetUtcNow() };
}
