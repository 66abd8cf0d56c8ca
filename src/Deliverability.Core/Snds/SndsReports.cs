using System.Net;
using System.Net.Sockets;

namespace Deliverability.Core.Snds;

/// <summary>SNDS spam filter verdict for an IP's mail in the period.</summary>
public enum SndsFilterResult
{
    /// <summary>The filter judged at most about 10% of the IP's messages as spam.</summary>
    Green,

    /// <summary>Between about 10% and 90%.</summary>
    Yellow,

    /// <summary>More than about 90%.</summary>
    Red,
}

/// <summary>One row of the SNDS data report: one IP's traffic to Outlook.com over one activity period (normally a UTC day).</summary>
public sealed record SndsDataRow
{
    /// <summary>1-based line number in the file.</summary>
    public required int LineNumber { get; init; }

    public required IPAddress Ip { get; init; }

    /// <summary>Start of the activity period, UTC.</summary>
    public required DateTimeOffset ActivityStart { get; init; }

    public required DateTimeOffset ActivityEnd { get; init; }

    /// <summary>The UTC date of <see cref="ActivityStart"/>: the natural key is (Ip, Day).</summary>
    public DateOnly Day => DateOnly.FromDateTime(ActivityStart.UtcDateTime);

    public required long RcptCommands { get; init; }

    public required long DataCommands { get; init; }

    /// <summary>Recipients of accepted messages; the complaint rate's denominator.</summary>
    public required long MessageRecipients { get; init; }

    /// <summary>Null when the column is blank.</summary>
    public SndsFilterResult? FilterResult { get; init; }

    /// <summary>Complaints per message recipient as a fraction (0.003 for "0.3%"); null when blank.</summary>
    public decimal? ComplaintRate { get; init; }

    /// <summary>True for "&lt; 0.1%": <see cref="ComplaintRate"/> is then an upper bound (0.001), not a measurement.</summary>
    public bool ComplaintRateIsUpperBound { get; init; }

    public DateTimeOffset? TrapPeriodStart { get; init; }

    public DateTimeOffset? TrapPeriodEnd { get; init; }

    /// <summary>Spam trap hits; 0 when the column is blank.</summary>
    public long TrapHits { get; init; }

    public string? SampleHelo { get; init; }

    /// <summary>The "JMR P1 Sender" column: a sample MAIL FROM of the period.</summary>
    public string? SampleMailFrom { get; init; }

    public string? Comments { get; init; }
}

/// <summary>One range of the SNDS IP Status report.</summary>
public sealed record SndsIpStatusRange
{
    public required int LineNumber { get; init; }

    public required IPAddress FirstIp { get; init; }

    public required IPAddress LastIp { get; init; }

    /// <summary>The blocked flag ("Yes" in the legacy export, "True" in the 2026 API).</summary>
    public required bool Blocked { get; init; }

    /// <summary>Why, as SNDS words it ("Blocked due to user complaints or other evidence of spamming").</summary>
    public string? Reason { get; init; }

    /// <summary>True when the address lies between <see cref="FirstIp"/> and <see cref="LastIp"/> (inclusive).</summary>
    public bool Contains(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        var address = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        return address.AddressFamily == FirstIp.AddressFamily &&
            Compare(address, FirstIp) >= 0 && Compare(address, LastIp) <= 0;
    }

    internal static int Compare(IPAddress a, IPAddress b)
    {
        if (a.AddressFamily != b.AddressFamily)
        {
            return a.AddressFamily == AddressFamily.InterNetwork ? -1 : 1;
        }

        return a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());
    }
}

/// <summary>A line of an SNDS file that could not be read.</summary>
public sealed record SndsLineError(int LineNumber, string Problem, string Line);

/// <summary>The rows of an SNDS data report and the lines that could not be read.</summary>
public sealed record SndsDataReport(IReadOnlyList<SndsDataRow> Rows, IReadOnlyList<SndsLineError> Errors, bool HadHeader);

/// <summary>The ranges of an SNDS IP Status report and the lines that could not be read.</summary>
public sealed record SndsIpStatusReport(IReadOnlyList<SndsIpStatusRange> Ranges, IReadOnlyList<SndsLineError> Errors, bool HadHeader);
