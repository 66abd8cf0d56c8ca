using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Deliverability.Core.Checks.ReverseDns;

/// <summary>
/// Spots PTR names that look generic or dynamic ("dsl-203-0-113-5.pool.isp.example"): names that embed the address
/// or carry access-network words. Outlook rejects such senders (DY-001), SpamRATS lists them (Dyna), Spamhaus PBL targets them.
/// </summary>
public static partial class GenericPtrDetector
{
    private static readonly string[] Keywords =
    [
        "dsl", "adsl", "vdsl", "xdsl", "dynamic", "dyn", "dynip", "dhcp", "pool", "cable", "ppp", "pppoe", "client", "clients",
        "dial", "dialup", "dialin", "broadband", "cpe", "customer", "cust", "resident", "residential", "home", "user", "users",
        "wireless", "wifi", "mobile", "lte", "3g", "4g", "5g", "ftth", "fttx", "fttb", "catv", "unassigned",
    ];

    private static readonly string[] Separators = ["-", ".", "_", "x", ""];

    /// <summary>The reasons a name looks generic; empty when it looks like a deliberate mail host name.</summary>
    public static IReadOnlyList<string> Reasons(string ptrName, IPAddress address)
    {
        var name = ptrName.TrimEnd('.').ToLowerInvariant();
        var reasons = new List<string>();
        var embedded = EmbeddedAddressForms(address).FirstOrDefault(f => name.Contains(f, StringComparison.Ordinal));
        if (embedded is not null) reasons.Add($"contains the address ({embedded})");

        // Only the host part (all but the last two labels) is tested for words, so "cable.example" as a company domain is not flagged.
        var labels = name.Split('.');
        var hostPart = string.Join('.', labels.Take(Math.Max(1, labels.Length - 2)));
        var words = TokenPattern().Matches(hostPart).Select(m => m.Value).Where(t => Keywords.Contains(t)).Distinct().ToList();
        if (words.Count > 0) reasons.Add($"access-network words: {string.Join(", ", words)}");
        return reasons;
    }

    public static bool LooksGeneric(string ptrName, IPAddress address) => Reasons(ptrName, address).Count > 0;

    private static IEnumerable<string> EmbeddedAddressForms(IPAddress address)
    {
        address = Dns.ReverseName.Normalize(address);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var octets = bytes.Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray();
            var reversed = octets.Reverse().ToArray();
            var padded = bytes.Select(b => b.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
            var paddedReversed = padded.Reverse().ToArray();
            foreach (var separator in Separators)
            {
                if (separator.Length > 0)
                {
                    // Unpadded octets run together ("1234" for 1.2.3.4) would match ordinary names.
                    yield return string.Join(separator, octets);
                    yield return string.Join(separator, reversed);
                }

                yield return string.Join(separator, padded);
                yield return string.Join(separator, paddedReversed);
            }
            yield return Convert.ToHexStringLower(bytes);
            yield break;
        }

        // IPv6: the low 64 bits as hex groups, with dashes or none.
        var groups = Enumerable.Range(0, 8).Select(i => ((bytes[i * 2] << 8) | bytes[(i * 2) + 1]).ToString("x", CultureInfo.InvariantCulture)).ToArray();
        yield return string.Join('-', groups);
        yield return Convert.ToHexStringLower(bytes[8..]);
    }

    [GeneratedRegex("[a-z]+|[0-9]+[a-z]+")]
    private static partial Regex TokenPattern();
}
