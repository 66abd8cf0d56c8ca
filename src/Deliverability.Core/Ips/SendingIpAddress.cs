using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Deliverability.Core.Ips;

/// <summary>Reads an IP address typed by a person: trims it, accepts [brackets], maps IPv4-in-IPv6 back to IPv4.</summary>
public static class SendingIpAddress
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        var trimmed = text?.Trim().Trim('[', ']') ?? "";
        if (trimmed.Length == 0)
        {
            error = "Enter an IP address, for example 203.0.113.5 or 2001:db8::25.";
            return false;
        }

        if (trimmed.Contains('/', StringComparison.Ordinal))
        {
            error = $"'{trimmed}' is a network range; enter one sending address.";
            return false;
        }

        if (!IPAddress.TryParse(trimmed, out var parsed) ||
            (parsed.AddressFamily == AddressFamily.InterNetwork && trimmed.Count(c => c == '.') != 3))
        {
            error = $"'{trimmed}' is not an IPv4 or IPv6 address.";
            return false;
        }

        address = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        error = null;
        return true;
    }
}
