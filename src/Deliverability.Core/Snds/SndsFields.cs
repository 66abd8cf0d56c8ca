using System.Globalization;
using System.Net;

namespace Deliverability.Core.Snds;

/// <summary>How one field of an SNDS export reads: an address, a UTC time, a count, a complaint rate ("&lt; 0.1%").</summary>
internal static class SndsFields
{
    private static readonly string[] TimeFormats =
    [
        "M/d/yyyy h:mm tt", "M/d/yyyy h:mm:ss tt", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "M/d/yyyy",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    internal static bool TryIp(string text, out IPAddress ip)
    {
        if (IPAddress.TryParse(text.Trim('[', ']'), out var parsed) && (text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3))
        {
            ip = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
            return true;
        }

        ip = IPAddress.None;
        return false;
    }

    /// <summary>SNDS times are UTC ("11/27/2026 7:00 AM"); a time with an explicit offset is converted to UTC.</summary>
    internal static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces, out time);

    internal static bool TryCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value) && value >= 0;

    /// <summary>"&lt; 0.1%" → (0.001, less-than); "0.3%" → 0.003; blank → null. A bare number is read as a percentage too.</summary>
    internal static bool TryComplaintRate(string text, out decimal? rate, out bool lessThan)
    {
        rate = null;
        var span = text.AsSpan().Trim();
        lessThan = span.StartsWith("<", StringComparison.Ordinal);
        if (lessThan)
        {
            span = span[1..].Trim();
        }

        if (span.IsEmpty)
        {
            return !lessThan;
        }

        if (span[^1] == '%')
        {
            span = span[..^1].Trim();
        }

        if (!decimal.TryParse(span, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent))
        {
            return false;
        }

        rate = percent / 100m;
        return true;
    }

    internal static string Field(List<string> fields, int index) => index < fields.Count ? fields[index] : "";

    internal static string? NullIfBlank(string text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
