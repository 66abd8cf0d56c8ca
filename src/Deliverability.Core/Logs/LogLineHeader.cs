using System.Globalization;

namespace Deliverability.Core.Logs;

/// <summary>The front of a log line: when, which host, which program, and the message after it.</summary>
internal readonly record struct LogLineHeader(DateTimeOffset Time, string? Host, string Program, string Message, bool HasTime);

/// <summary>
/// Reads line fronts: BSD syslog ("Nov 27 14:02:11 mx1 postfix/smtp[1234]: ..."), RFC 3339 syslog
/// ("2026-11-27T14:02:11.123456+00:00 mx1 postfix/smtp[1234]: ...") and the Exim main log
/// ("2026-11-27 14:02:11[.123][ +0100][ [pid]] ...").
/// </summary>
internal static class LogLineHeaderReader
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static bool TryRead(string line, MtaLogReadOptions options, out LogLineHeader header)
    {
        header = default;
        var span = line.AsSpan();
        if (span.Length > 0 && span[0] == '<')
        {
            // "<22>" syslog priority prefix.
            var close = span[..Math.Min(6, span.Length)].IndexOf('>');
            if (close > 0)
            {
                span = span[(close + 1)..];
            }
        }

        if (span.Length >= 16 && char.IsAsciiLetterUpper(span[0]) && span[3] == ' ')
        {
            return TryReadBsd(span, options, out header);
        }

        if (span.Length >= 19 && IsDate(span) && span[10] == 'T')
        {
            return TryReadRfc3339(span, options, out header);
        }

        if (span.Length >= 19 && IsDate(span) && span[10] == ' ')
        {
            if (!TryReadEximTime(span, options, out var time, out var rest))
            {
                return false;
            }

            header = new LogLineHeader(time, options.HostName?.Trim().ToLowerInvariant(), "exim", rest.ToString(), true);
            return true;
        }

        return false;
    }

    /// <summary>Exim's own "2026-11-27 14:02:11[.123][ +0100][ [1234]] " prefix; also used inside syslog messages.</summary>
    public static bool TryReadEximTime(ReadOnlySpan<char> span, MtaLogReadOptions options, out DateTimeOffset time, out ReadOnlySpan<char> rest)
    {
        time = default;
        rest = span;
        if (span.Length < 19 || !IsDate(span) || span[10] != ' ' || !TryTime(span[11..19], out var h, out var m, out var s))
        {
            return false;
        }

        var at = 19;
        var ticks = 0L;
        if (at < span.Length && span[at] == '.')
        {
            at++;
            var digits = 0;
            while (at < span.Length && char.IsAsciiDigit(span[at]) && digits < 7)
            {
                ticks = (ticks * 10) + (span[at] - '0');
                digits++;
                at++;
            }

            for (; digits < 7; digits++)
            {
                ticks *= 10;
            }
        }

        var offset = options.LocalOffset;
        if (at + 6 <= span.Length && span[at] == ' ' && span[at + 1] is '+' or '-' && AllDigits(span.Slice(at + 2, 4)))
        {
            var hh = Number(span.Slice(at + 2, 2));
            var mm = Number(span.Slice(at + 4, 2));
            offset = new TimeSpan(hh, mm, 0) * (span[at + 1] == '-' ? -1 : 1);
            at += 6;
        }

        if (!TryBuild(Number(span[..4]), Number(span.Slice(5, 2)), Number(span.Slice(8, 2)), h, m, s, ticks, offset, out time))
        {
            return false;
        }

        rest = span[at..].TrimStart(' ');
        if (rest.Length > 0 && rest[0] == '[')
        {
            // "[1234] " process id (log_selector +pid).
            var close = rest.IndexOf(']');
            if (close > 0 && AllDigits(rest[1..close]))
            {
                rest = rest[(close + 1)..].TrimStart(' ');
            }
        }

        return true;
    }

    private static bool TryReadBsd(ReadOnlySpan<char> span, MtaLogReadOptions options, out LogLineHeader header)
    {
        header = default;
        var month = Array.IndexOf(Months, span[..3].ToString()) + 1;
        if (month == 0)
        {
            return false;
        }

        var at = 4;
        while (at < span.Length && span[at] == ' ')
        {
            at++;
        }

        var dayStart = at;
        while (at < span.Length && char.IsAsciiDigit(span[at]))
        {
            at++;
        }

        if (at - dayStart is < 1 or > 2 || at + 9 > span.Length || span[at] != ' ' || !TryTime(span.Slice(at + 1, 8), out var h, out var m, out var s))
        {
            return false;
        }

        var day = Number(span[dayStart..at]);
        at += 9;
        var ticks = 0L;
        if (at < span.Length && span[at] == '.')
        {
            // High-precision BSD timestamps are rare; skip the fraction.
            at++;
            while (at < span.Length && char.IsAsciiDigit(span[at]))
            {
                at++;
            }
        }

        if (!TryInferYear(month, day, h, m, s, ticks, options, out var time))
        {
            return false;
        }

        return TryReadHostAndProgram(span[at..], time, out header);
    }

    private static bool TryReadRfc3339(ReadOnlySpan<char> span, MtaLogReadOptions options, out LogLineHeader header)
    {
        header = default;
        var end = span.IndexOf(' ');
        if (end < 0)
        {
            return false;
        }

        var stamp = span[..end];
        if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            return false;
        }

        var hasOffset = stamp.Length > 19 && (stamp[^1] is 'Z' or 'z' || stamp[^6] is '+' or '-' || stamp[^5] is '+' or '-');
        if (!hasOffset)
        {
            time = new DateTimeOffset(time.DateTime, options.LocalOffset);
        }

        return TryReadHostAndProgram(span[end..], time, out header);
    }

    private static bool TryReadHostAndProgram(ReadOnlySpan<char> span, DateTimeOffset time, out LogLineHeader header)
    {
        header = default;
        span = span.TrimStart(' ');
        var hostEnd = span.IndexOf(' ');
        if (hostEnd <= 0)
        {
            return false;
        }

        var host = span[..hostEnd];
        var rest = span[(hostEnd + 1)..].TrimStart(' ');
        var colon = rest.IndexOf(": ");
        if (colon <= 0 && !(rest.Length > 1 && rest[^1] == ':'))
        {
            return false;
        }

        if (colon <= 0)
        {
            colon = rest.Length - 1;
        }

        var tag = rest[..colon];
        var bracket = tag.IndexOf('[');
        if (bracket > 0)
        {
            tag = tag[..bracket];
        }

        if (tag.IsEmpty || tag.Contains(' '))
        {
            return false;
        }

        var message = colon + 2 <= rest.Length ? rest[(colon + 2)..] : [];
        header = new LogLineHeader(time, host.ToString().ToLowerInvariant(), tag.ToString(), message.ToString(), true);
        return true;
    }

    /// <summary>The latest year that does not put the time after the reference time (plus tolerance); handles Dec→Jan and 29 Feb.</summary>
    private static bool TryInferYear(int month, int day, int h, int m, int s, long ticks, MtaLogReadOptions options, out DateTimeOffset time)
    {
        var latest = options.ReferenceTime + options.FutureTolerance;
        for (var year = latest.Year; year >= latest.Year - 8; year--)
        {
            if (TryBuild(year, month, day, h, m, s, ticks, options.LocalOffset, out time) && time <= latest)
            {
                return true;
            }
        }

        time = default;
        return false;
    }

    private static bool TryBuild(int year, int month, int day, int h, int m, int s, long ticks, TimeSpan offset, out DateTimeOffset time)
    {
        time = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || h > 23 || m > 59 || s > 60)
        {
            return false;
        }

        // A leap second (:60) is kept as :59.
        time = new DateTimeOffset(year, month, day, h, m, Math.Min(s, 59), offset).AddTicks(ticks);
        return true;
    }

    private static bool IsDate(ReadOnlySpan<char> s) =>
        AllDigits(s[..4]) && s[4] == '-' && AllDigits(s.Slice(5, 2)) && s[7] == '-' && AllDigits(s.Slice(8, 2));

    private static bool TryTime(ReadOnlySpan<char> s, out int h, out int m, out int sec)
    {
        h = m = sec = 0;
        if (s.Length < 8 || !AllDigits(s[..2]) || s[2] != ':' || !AllDigits(s.Slice(3, 2)) || s[5] != ':' || !AllDigits(s.Slice(6, 2)))
        {
            return false;
        }

        h = Number(s[..2]);
        m = Number(s.Slice(3, 2));
        sec = Number(s.Slice(6, 2));
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return !s.IsEmpty;
    }

    private static int Number(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s)
        {
            n = (n * 10) + (c - '0');
        }

        return n;
    }
}
