using System.Net;
using System.Text.RegularExpressions;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Checks and normalises what a person types as an attribution rule, before it reaches the unique index:
/// the back end's own check (<see cref="SendingIpMap.TryValidate"/>) first, then host-name syntax.
/// </summary>
public static partial class RulePattern
{
    public static bool TryNormalise(SendingIpRuleKind kind, string? pattern, string? instance,
        out string normalised, out string? normalisedInstance, out string? error)
    {
        normalised = (pattern ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        normalisedInstance = kind == SendingIpRuleKind.LogHost && !string.IsNullOrWhiteSpace(instance) ? instance.Trim() : null;
        error = null;
        if (normalised.Length == 0)
        {
            error = kind == SendingIpRuleKind.SenderDomain ? "Enter a domain, e.g. example.com." : "Enter a host name, e.g. mx1.example.com or *.example.com.";
        }
        else if (!SendingIpMap.TryValidate(new SendingIpMapRule
                 {
                     Kind = Enum.Parse<SendingIpMapRuleKind>(kind.ToString()),
                     Pattern = normalised,
                     Instance = normalisedInstance,
                     Ip = IPAddress.Loopback, // the IP is chosen from a list; only the pattern is checked here
                 }, out var mapError))
        {
            error = mapError;
        }
        else if (normalised.Length > 255 || !HostPattern().IsMatch(normalised))
        {
            error = $"\"{normalised}\" is not a host name: use letters, digits, dots and hyphens, optionally starting with *. (e.g. *.example.com).";
        }
        else if (normalisedInstance is { } i && (i.Length > 100 || !InstancePattern().IsMatch(i)))
        {
            error = $"\"{i}\" is not a Postfix instance or service name (e.g. postfix-out or postfix/smtp).";
        }

        return error is null;
    }

    public static string Describe(SendingIpRuleKind kind) => kind switch
    {
        SendingIpRuleKind.ReportingMta => "Reporting MTA",
        SendingIpRuleKind.SenderDomain => "Sender domain",
        SendingIpRuleKind.LogHost => "Log host",
        _ => kind.ToString(),
    };

    [GeneratedRegex(@"^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_./-]+$")]
    private static partial Regex InstancePattern();
}
