using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Deliverability.Core.Checks.Storage;

/// <summary>Reads the per-IP check settings a person types: domains, "domain:selector" DKIM keys and a HELO name.</summary>
public static partial class SendingIpCheckConfig
{
    /// <summary>Lower case, without trailing dots, without duplicates, in the order given.</summary>
    public static List<string> NormaliseDomains(IEnumerable<string> domains) =>
        domains.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Splits text on commas, spaces and new lines.</summary>
    public static IEnumerable<string> Split(string? text) =>
        (text ?? "").Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool IsHostName(string name) => name.Length <= 253 && HostName().IsMatch(name.TrimEnd('.'));

    public static bool TryParseSelector(string value, [NotNullWhen(true)] out DkimSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        try
        {
            var parsed = DkimSelector.Parse(value);
            if (!IsHostName(parsed.Domain) || !Label().IsMatch(parsed.Selector.Replace(".", "", StringComparison.Ordinal)))
            {
                error = $"'{value}' is not domain:selector (for example example.com:mail2026).";
                return false;
            }

            selector = parsed;
            error = null;
            return true;
        }
        catch (FormatException)
        {
            error = $"'{value}' is not domain:selector (for example example.com:mail2026).";
            return false;
        }
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[a-z0-9_-]{1,63}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
