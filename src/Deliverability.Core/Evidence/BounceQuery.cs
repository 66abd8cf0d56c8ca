using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Deliverability.Core.Remediation;

namespace Deliverability.Core.Evidence;

/// <summary>Newest first (the default) or oldest first; both page by (time, source, id).</summary>
public enum BounceSort
{
    Newest,
    Oldest,
}

/// <summary>
/// What the bounce explorer, <c>GET /api/v1/bounces</c> and the exports list: bounces and refused or deferred MTA log lines,
/// filtered. Every filter is optional; the query-string names (<see cref="Names"/>) are the same on the page, the API and the exports.
/// </summary>
public sealed record BounceQuery
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>An address or a CIDR range: rows attributed to a tracked sending IP inside it.</summary>
    public string? Ip { get; init; }
    public string? Provider { get; init; }
    public string? Code { get; init; }
    public string? Reason { get; init; }
    public BounceKind? Kind { get; init; }
    public EvidenceSource? Source { get; init; }
    public string? RecipientDomain { get; init; }
    public string? SenderDomain { get; init; }

    /// <summary>Rows an upload brought: its bounces, and the log lines first read from its files.</summary>
    public long? Batch { get; init; }

    /// <summary>Text the diagnostic (or the log line's reply) contains, case-insensitive.</summary>
    public string? Text { get; init; }
    public BounceSort Sort { get; init; }

    public const int MaxTextLength = 256;

    /// <summary>The query-string names, in the order a link writes them.</summary>
    public static readonly string[] Names = ["from", "to", "ip", "provider", "code", "reason", "kind", "source", "rcptDomain", "senderDomain", "batch", "q", "sort"];

    /// <summary>Reads the query-string values; every value that cannot be used is named in <c>errors</c> (and nothing is guessed).</summary>
    public static BounceQuery Parse(Func<string, string?> value, out Dictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, string[]>();
        string? Text(string name)
        {
            var raw = value(name)?.Trim();
            if (string.IsNullOrEmpty(raw)) return null;
            if (raw.Length > MaxTextLength)
            {
                problems[name] = [$"{name} is at most {MaxTextLength} characters."];
                return null;
            }

            if (raw.Any(char.IsControl))
            {
                problems[name] = [$"{name} holds a control character (NUL, tab, line break...)."];
                return null;
            }

            return raw;
        }

        DateTimeOffset? Time(string name)
        {
            var raw = Text(name);
            if (raw is null) return null;
            if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
            problems[name] = [$"{name} '{raw}' is not a date and time: use ISO 8601, e.g. 2026-12-01T00:00:00Z."];
            return null;
        }

        TEnum? Word<TEnum>(string name) where TEnum : struct, Enum
        {
            var raw = Text(name);
            if (raw is null) return null;
            if (Enum.TryParse<TEnum>(raw, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !raw.All(char.IsDigit)) return parsed;
            problems[name] = [$"{name} '{raw}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}."];
            return null;
        }

        long? Number(string name)
        {
            var raw = Text(name);
            if (raw is null) return null;
            if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
            problems[name] = [$"{name} '{raw}' is not a number."];
            return null;
        }

        var query = new BounceQuery
        {
            From = Time("from"),
            To = Time("to"),
            Ip = Text("ip"),
            Provider = Text("provider")?.ToLowerInvariant(),
            Code = Text("code"),
            Reason = Text("reason")?.ToLowerInvariant(),
            Kind = Word<BounceKind>("kind"),
            Source = Word<EvidenceSource>("source"),
            RecipientDomain = Text("rcptDomain")?.ToLowerInvariant(),
            SenderDomain = Text("senderDomain")?.ToLowerInvariant(),
            Text = Text("q"),
            Batch = Number("batch"),
            Sort = Word<BounceSort>("sort") ?? BounceSort.Newest,
        };
        if (query.Ip is not null && !TryParseRange(query.Ip, out _))
        {
            problems["ip"] = [$"ip '{query.Ip}' is not an address or a CIDR range (203.0.113.25, 203.0.113.0/24, 2001:db8::/32)."];
        }

        if (query.Reason is not null && !BounceReasons.IsKnown(query.Reason))
        {
            problems["reason"] = [$"reason '{query.Reason}' is not a reason the parser gives ({string.Join(", ", BounceReasons.All.Order(StringComparer.Ordinal))})."];
        }

        if (query.From is { } from && query.To is { } to && to <= from)
        {
            problems["to"] = ["to is after from."];
        }

        errors = problems;
        return query;
    }

    /// <summary>The query-string of this filter (without a leading '?'), for links that land pre-filtered.</summary>
    public string ToQueryString()
    {
        var pairs = new List<string>();
        void Add(string name, string? v)
        {
            if (!string.IsNullOrEmpty(v)) pairs.Add($"{name}={Uri.EscapeDataString(v)}");
        }

        Add("from", From?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("to", To?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("ip", Ip);
        Add("provider", Provider);
        Add("code", Code);
        Add("reason", Reason);
        Add("kind", Kind?.ToString());
        Add("source", Source?.ToString());
        Add("rcptDomain", RecipientDomain);
        Add("senderDomain", SenderDomain);
        Add("batch", Batch?.ToString(CultureInfo.InvariantCulture));
        Add("q", Text);
        Add("sort", Sort == BounceSort.Newest ? null : Sort.ToString());
        return string.Join('&', pairs);
    }

    /// <summary>"203.0.113.0/24" or a single address, as PostgreSQL's cidr text; false when it is neither.</summary>
    public static bool TryParseRange(string text, out string cidr)
    {
        cidr = "";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? text : text[..slash];
        if (!(addressPart.Count(c => c == '.') == 3 || addressPart.Contains(':', StringComparison.Ordinal)) || !IPAddress.TryParse(addressPart, out var address))
        {
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            return false;
        }

        // cidr refuses host bits set ("203.0.113.7/24"): the network of the range is what the user means.
        cidr = new IPNetwork(Masked(address, prefix), prefix).ToString();
        return true;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    /// <summary>Cleaned like stored text (a NUL cannot go into a parameter), with LIKE's wildcards escaped.</summary>
    internal static string LikeContains(string text) =>
        "%" + (StorableText.Clean(text) ?? "").Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
