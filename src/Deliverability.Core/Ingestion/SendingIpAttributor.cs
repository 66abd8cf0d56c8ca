using System.Net;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Decides which sending IP a result belongs to: the IP the message names, else an attribution rule
/// (reporting MTA, then sender domain), else the IP chosen on the upload form, else none (unattributed).
/// </summary>
public sealed class SendingIpAttributor(IReadOnlyList<SendingIpRule> rules, long? uploadDefaultIpId)
{
    public sealed record Attribution(long? SendingIpId, IPAddress? Address, string? Source);

    public Attribution Attribute(RecipientResult result, Func<IPAddress, long> trackedIpId)
    {
        if (result.SendingIp is { } named)
        {
            return new Attribution(trackedIpId(named), named, result.SendingIpSource ?? "message");
        }

        if (Match(SendingIpRuleKind.ReportingMta, result.ReportingMta) is { } byMta)
        {
            return new Attribution(byMta.SendingIpId, byMta.SendingIp?.Address, "rule:reporting-mta");
        }

        if (Match(SendingIpRuleKind.SenderDomain, result.SenderDomain) is { } byDomain)
        {
            return new Attribution(byDomain.SendingIpId, byDomain.SendingIp?.Address, "rule:sender-domain");
        }

        return uploadDefaultIpId is { } chosen ? new Attribution(chosen, null, "upload") : new Attribution(null, null, null);
    }

    /// <summary>Exact names win over wildcards; a longer wildcard wins over a shorter one.</summary>
    private SendingIpRule? Match(SendingIpRuleKind kind, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        name = name.Trim().TrimEnd('.').ToLowerInvariant();
        SendingIpRule? best = null;
        var bestScore = -1;
        foreach (var rule in rules)
        {
            if (rule.Kind != kind)
            {
                continue;
            }

            var score = Score(rule.Pattern.Trim().TrimEnd('.').ToLowerInvariant(), name, subdomainsMatch: kind == SendingIpRuleKind.SenderDomain);
            if (score > bestScore)
            {
                best = rule;
                bestScore = score;
            }
        }

        return best;
    }

    private static int Score(string pattern, string name, bool subdomainsMatch)
    {
        if (pattern == name)
        {
            return 10_000;
        }

        if (pattern.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(pattern[1..], StringComparison.Ordinal))
        {
            return pattern.Length;
        }

        return subdomainsMatch && name.EndsWith("." + pattern, StringComparison.Ordinal) ? pattern.Length : -1;
    }
}
