using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Deliverability.Core.Dns;

/// <summary>Reversed forms of an address: octets for IPv4, nibbles for IPv6 (RFC 5782 / RFC 3596).</summary>
public static class ReverseName
{
    /// <summary>"4.3.2.1" for 1.2.3.4; 32 dot-separated nibbles, lowest first, for IPv6.</summary>
    public static string Labels(IPAddress address)
    {
        address = Normalize(address);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Join('.', bytes.Reverse().Select(b => b.ToString(CultureInfo.InvariantCulture)));
        }

        var sb = new StringBuilder(64);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (sb.Length > 0) sb.Append('.');
            sb.Append(Nibble(bytes[i] & 0xF)).Append('.').Append(Nibble(bytes[i] >> 4));
        }

        return sb.ToString();
    }

    /// <summary>Dotted nibbles in forward order for IPv6 (SPF %{i}); the dotted quad for IPv4.</summary>
    public static string ForwardLabels(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork) return address.ToString();
        var bytes = address.GetAddressBytes();
        var sb = new StringBuilder(64);
        foreach (var b in bytes)
        {
            if (sb.Length > 0) sb.Append('.');
            sb.Append(Nibble(b >> 4)).Append('.').Append(Nibble(b & 0xF));
        }

        return sb.ToString();
    }

    public static string ForPtr(IPAddress address) =>
        Labels(address) + (Normalize(address).AddressFamily == AddressFamily.InterNetwork ? ".in-addr.arpa" : ".ip6.arpa");

    /// <summary>IPv4-mapped IPv6 addresses are treated as IPv4 (RFC 7208 section 5).</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static char Nibble(int value) => "0123456789abcdef"[value];
}
