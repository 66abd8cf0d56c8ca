using System.Net;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Decides which sending IP a result belongs to: the IP the message names, else the operator's attribution rules
/// (<see cref="SendingIpMap"/>: reporting MTA, sender domain), else the IP chosen on the upload form, else none
/// (the result lands unattributed and can be assigned later).
/// </summary>
public sealed class SendingIpAttributor
{
    private readonly SendingIpMap _map;
    private readonly Dictionary<IPAddress, long> _ruleIpIds = new();
    private readonly long? _uploadDefaultIpId;

    public SendingIpAttributor(IReadOnlyList<SendingIpRule> rules, long? uploadDefaultIpId)
    {
        _uploadDefaultIpId = uploadDefaultIpId;
        var usable = new List<SendingIpMapRule>();
        foreach (var rule in rules.Where(r => r.SendingIp is not null))
        {
            var mapRule = new SendingIpMapRule { Kind = ToMapKind(rule.Kind), Pattern = rule.Pattern, Instance = rule.Instance, Ip = rule.SendingIp!.Address };
            if (SendingIpMap.TryValidate(mapRule, out _))
            {
                usable.Add(mapRule);
                _ruleIpIds[rule.SendingIp.Address] = rule.SendingIpId;
            }
        }

        _map = new SendingIpMap(usable);
    }

    public SendingIpMap Map => _map;

    public sealed record Attribution(long? SendingIpId, IPAddress? Address, string? Source);

    public Attribution Attribute(RecipientResult result, Func<IPAddress, long> trackedIpId)
    {
        if (result.SendingIp is { } named)
        {
            return new Attribution(trackedIpId(named), named, result.SendingIpSource ?? SendingIpSources.Message);
        }

        if (_map.FindRule(result.ReportingMta, null, result.Sender ?? result.SenderDomain) is { } rule)
        {
            return new Attribution(_ruleIpIds[rule.Ip], rule.Ip, SourceOf(rule.Kind));
        }

        return _uploadDefaultIpId is { } chosen ? new Attribution(chosen, null, SendingIpSources.Upload) : new Attribution(null, null, null);
    }

    /// <summary>
    /// The tracked IP of a log line: the address the line names (Exim I=) or the best rule's, else the IP chosen on the
    /// upload form, else none (kept unattributed until a rule matches it).
    /// </summary>
    public long? AttributeLogLine(string host, string? sender, IPAddress? localIp, string program, string instance, string? transport,
        IReadOnlyDictionary<IPAddress, long> trackedIpIds)
    {
        ArgumentNullException.ThrowIfNull(trackedIpIds);
        var ip = _map.Resolve(host, sender, localIp, program, instance, transport);
        return ip is not null && trackedIpIds.TryGetValue(ip, out var id) ? id : _uploadDefaultIpId;
    }

    /// <summary>The tracked IP id of an address a rule points at, if it is one.</summary>
    public long? RuleIpId(IPAddress address) => _ruleIpIds.TryGetValue(address, out var id) ? id : null;

    public static string SourceOf(SendingIpMapRuleKind kind) => kind switch
    {
        SendingIpMapRuleKind.ReportingMta => SendingIpSources.ReportingMtaRule,
        SendingIpMapRuleKind.SenderDomain => SendingIpSources.SenderDomainRule,
        _ => SendingIpSources.LogHostRule,
    };

    public static SendingIpMapRuleKind ToMapKind(SendingIpRuleKind kind) => kind switch
    {
        SendingIpRuleKind.ReportingMta => SendingIpMapRuleKind.ReportingMta,
        SendingIpRuleKind.SenderDomain => SendingIpMapRuleKind.SenderDomain,
        _ => SendingIpMapRuleKind.LogHost,
    };
}
