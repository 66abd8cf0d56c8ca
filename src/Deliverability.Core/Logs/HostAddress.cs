using System.Net;

namespace Deliverability.Core.Logs;

/// <summary>Reads "name[192.0.2.1]:25", "name [192.0.2.1]:25", "[192.0.2.1]" and "unknown[2001:db8::1]" forms.</summary>
internal static class HostAddress
{
    public static (string? Host, IPAddress? Ip) Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        var open = text.IndexOf('[');
        if (open < 0)
        {
            return (text.IsEmpty || text.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : Lower(text), null);
        }

        var close = text[open..].IndexOf(']');
        var name = text[..open].Trim();
        IPAddress? ip = null;
        if (close > 0)
        {
            var literal = text.Slice(open + 1, close - 1);
            if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                literal = literal[5..];
            }

            if (IPAddress.TryParse(literal, out var parsed))
            {
                ip = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
            }
        }

        var host = name.IsEmpty || name.Equals("unknown", StringComparison.OrdinalIgnoreCase) ? null : Lower(name.Trim("()"));
        return (host, ip);
    }

    public static IPAddress? ParseIp(ReadOnlySpan<char> text) => Parse(text).Ip;

    private static string Lower(ReadOnlySpan<char> text) => text.ToString().ToLowerInvariant();
}
