using System.Net;
using System.Text.RegularExpressions;

namespace Deliverability.Core.Bounces;

/// <summary>Finds the sending IP a rejection names ("messages from [203.0.113.5]", "Client host [x] blocked", ...).</summary>
internal static partial class SendingIpFinder
{
    // Every pattern here has bounded quantifiers and no nested repetition, so the backtracking engine stays linear.
    private const RegexOptions Safe = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    // Phrases that introduce the connecting (our) IP, followed by an IPv4 or IPv6 literal, possibly in brackets.
    [GeneratedRegex(@"(messages from|client host|mail server|from ip|your ip|ip address|sending ip|connecting ip|client ip|source ip|from host|host|ip|address|from|client|rejected|blocked|ip=|listed)[ :=]{0,3}[\[(]?([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|[0-9a-f]{1,4}:[0-9a-f:.]{2,40})[\])]?", Safe)]
    private static partial Regex IntroducedIp();

    [GeneratedRegex(@"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", Safe)]
    private static partial Regex AnyIpv4();

    public static (IPAddress? Ip, string? Source) Find(string? diagnostic, string? remoteMta)
    {
        if (string.IsNullOrEmpty(diagnostic))
        {
            return (null, null);
        }

        var text = diagnostic.Length > 4096 ? diagnostic[..4096] : diagnostic;
        var remoteIps = new HashSet<string>(StringComparer.Ordinal);
        if (remoteMta is not null)
        {
            foreach (Match m in AnyIpv4().Matches(remoteMta))
            {
                remoteIps.Add(m.Value);
            }
        }

        // Cheap first pass: look at each IPv4 literal and the words right before it.
        foreach (var match in AnyIpv4().EnumerateMatches(text))
        {
            var candidate = text.Substring(match.Index, match.Length);
            var intro = IntroBefore(text, match.Index);
            if (intro is null || remoteIps.Contains(candidate) || !IPAddress.TryParse(candidate, out var ip))
            {
                continue;
            }

            if (IsAcceptable(text, intro, match.Index, match.Index + match.Length) && IsUsable(ip))
            {
                return (ip, "diagnostic");
            }
        }

        if (!text.Contains("::", StringComparison.Ordinal) && !text.Contains("ipv6", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        foreach (Match match in IntroducedIp().Matches(text))
        {
            var intro = match.Groups[1].Value.ToLowerInvariant();
            var candidate = match.Groups[2].Value.TrimEnd('.', ':');
            if (remoteIps.Contains(candidate) || !IPAddress.TryParse(candidate, out var ip))
            {
                continue;
            }

            if (IsAcceptable(text, intro, match.Index, match.Index + match.Length) && IsUsable(ip))
            {
                return (ip, "diagnostic");
            }
        }

        return (null, null);
    }

    private static readonly string[] Intros =
    [
        "messages from", "client host", "mail server", "from ip", "your ip", "ip address", "sending ip", "connecting ip", "client ip",
        "source ip", "from host", "host", "ip", "address", "from", "client", "rejected", "blocked", "ip=", "listed",
    ];

    /// <summary>The introducing phrase right before position <paramref name="at"/> ("messages from [", "Client host ["), or null.</summary>
    private static string? IntroBefore(string text, int at)
    {
        var start = Math.Max(0, at - 24);
        var before = text.AsSpan(start, at - start).TrimEnd("[( :=");
        foreach (var intro in Intros)
        {
            if (before.EndsWith(intro, StringComparison.OrdinalIgnoreCase) &&
                (before.Length == intro.Length || !char.IsAsciiLetter(before[before.Length - intro.Length - 1])))
            {
                return intro;
            }
        }

        return null;
    }

    private static bool IsAcceptable(string text, string intro, int index, int end)
    {
        // "host mx.example.com[192.0.2.1] said" names the remote server, not us.
        var tail = text.AsSpan(end, Math.Min(14, text.Length - end)).TrimStart("]) ");
        if (intro is "host" && tail.StartsWith("said", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return intro is not ("host" or "from" or "address" or "ip" or "rejected" or "blocked" or "client" or "listed") ||
            LooksLikeSenderContext(text, index);
    }

    private static bool LooksLikeSenderContext(string text, int index)
    {
        var start = Math.Max(0, index - 80);
        return text.AsSpan(start, Math.Min(text.Length - start, 200)).ContainsAny(SenderHints);
    }

    private static readonly System.Buffers.SearchValues<string> SenderHints = System.Buffers.SearchValues.Create(
        ["block", "listed", "reputation", "rate limit", "rejected", "banned", "spam", "reverse", "ptr", "connection",
            "client", "your", "sender", "not allowed", "denied", "refused", "dynamic"],
        StringComparison.OrdinalIgnoreCase);

    public static bool IsUsable(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return b[0] is not 0 and < 224 && b.All(x => x <= 255);
        }

        return true;
    }
}
