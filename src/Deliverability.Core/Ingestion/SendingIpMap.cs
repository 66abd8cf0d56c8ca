using System.Net;
using Deliverability.Core.Logs;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// What a <see cref="SendingIpMapRule"/> matches on. Members mirror the stored rule kinds (<c>SendingIpRuleKind</c>),
/// so a stored rule converts by name.
/// </summary>
public enum SendingIpMapRuleKind
{
    /// <summary>The reporting / logging MTA's host name: exact ("mx1.example.com") or a wildcard ("*.example.com", subdomains only).</summary>
    ReportingMta,

    /// <summary>The envelope sender's domain: the domain itself and its subdomains ("example.com" matches "news.example.com").</summary>
    SenderDomain,

    /// <summary>
    /// The log's host name (exact or "*.example.com"), optionally narrowed to one MTA instance or transport
    /// ("postfix-out", "postfix-out/smtp", Exim "remote_smtp"): the smtp_bind_address / interface of that instance.
    /// </summary>
    LogHost,
}

/// <summary>An operator's statement "mail matching this left from that IP" (no EF: built from the stored rules).</summary>
public sealed record SendingIpMapRule
{
    public required SendingIpMapRuleKind Kind { get; init; }

    /// <summary>Host name pattern (ReportingMta, LogHost) or domain (SenderDomain).</summary>
    public required string Pattern { get; init; }

    /// <summary>Only for LogHost: instance, program or transport name; null matches any.</summary>
    public string? Instance { get; init; }

    public required IPAddress Ip { get; init; }

    /// <summary>The caller's id of the stored rule, carried through so it can tell which rule decided.</summary>
    public long? RuleId { get; init; }

    /// <summary>The caller's id of the sending IP, carried through.</summary>
    public long? SendingIpId { get; init; }
}

/// <summary>
/// Works out which local IP sent a message when the log does not say (Postfix never does), from operator rules.
/// The most specific matching rule wins; among equally specific rules, the earliest.
/// </summary>
/// <remarks>
/// Specificity, highest first: host + instance; sender domain (exact before parent domains, longer before shorter);
/// host alone; reporting MTA host. Within each, an exact host beats a wildcard, and a longer wildcard beats a shorter one.
/// </remarks>
public sealed class SendingIpMap
{
    private readonly List<(SendingIpMapRule Rule, string Pattern, bool Wildcard, string? Instance)> _rules = [];

    /// <exception cref="ArgumentException">A rule's pattern or instance is not usable (see <see cref="TryValidate"/>).</exception>
    public SendingIpMap(IEnumerable<SendingIpMapRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            if (!TryValidate(rule, out var error))
            {
                throw new ArgumentException(error, nameof(rules));
            }

            var pattern = NormaliseName(rule.Pattern);
            var wildcard = pattern.StartsWith("*.", StringComparison.Ordinal);
            _rules.Add((rule, wildcard ? pattern[2..] : pattern, wildcard, rule.Instance?.Trim().ToLowerInvariant()));
        }
    }

    public IReadOnlyList<SendingIpMapRule> Rules => _rules.Select(r => r.Rule).ToList();

    /// <summary>Checks a rule before it is stored; the error says what to fix.</summary>
    public static bool TryValidate(SendingIpMapRule rule, out string? error)
    {
        ArgumentNullException.ThrowIfNull(rule);
        error = null;
        var pattern = NormaliseName(rule.Pattern ?? "");
        if (rule.Ip is null)
        {
            error = "A rule needs the IP address the mail left from.";
        }
        else if (pattern.Length == 0)
        {
            error = rule.Kind == SendingIpMapRuleKind.SenderDomain ? "Enter the sender domain, for example example.com." : "Enter a host name, for example mx1.example.com or *.example.com.";
        }
        else if (pattern.Any(c => char.IsWhiteSpace(c) || c is '@' or '[' or ']' or '/'))
        {
            error = $"'{rule.Pattern}' is not a host name or domain.";
        }
        else if (pattern.IndexOf('*', StringComparison.Ordinal) is var star and >= 0 &&
            (rule.Kind == SendingIpMapRuleKind.SenderDomain || star != 0 || !pattern.StartsWith("*.", StringComparison.Ordinal) || pattern.LastIndexOf('*') != 0 || pattern.Length < 3))
        {
            error = rule.Kind == SendingIpMapRuleKind.SenderDomain
                ? "A sender domain rule already covers subdomains: enter the domain without '*'."
                : $"'{rule.Pattern}': a wildcard may only open the name, as in *.example.com.";
        }
        else if (rule.Instance is not null && rule.Kind != SendingIpMapRuleKind.LogHost)
        {
            error = "Only a log host rule can name an instance or transport.";
        }
        else if (rule.Instance is not null && (rule.Instance.Trim().Length == 0 || rule.Instance.Any(char.IsWhiteSpace)))
        {
            error = $"'{rule.Instance}' is not an instance or transport name (for example postfix-out or remote_smtp).";
        }

        return error is null;
    }

    /// <summary>The rule that best matches; null when none does.</summary>
    /// <param name="host">Host name of the MTA that logged or reported the delivery.</param>
    /// <param name="instance">Instance, program or transport name ("postfix-out", "postfix-out/smtp", "remote_smtp"), if known.</param>
    /// <param name="sender">Envelope sender address or domain, if known.</param>
    public SendingIpMapRule? FindRule(string? host, string? instance, string? sender) => FindRule(host, sender, [instance]);

    public IPAddress? Resolve(string? host, string? instance, string? sender) => FindRule(host, instance, sender)?.Ip;

    /// <summary>The IP the log names (Exim I=), else the best rule for the attempt's host, program/instance/transport and sender.</summary>
    public IPAddress? Resolve(DeliveryAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return Resolve(attempt.Host, attempt.Sender, attempt.LocalIp, attempt.Program, attempt.Instance, attempt.Transport);
    }

    /// <summary>The same decision for a stored log line: its local IP if logged, else the best rule for its host, program/instance/transport and sender.</summary>
    public IPAddress? Resolve(string? host, string? sender, IPAddress? localIp, string? program, string? instance, string? transport) =>
        localIp ?? FindRule(host, sender, [program, instance, transport])?.Ip;

    private SendingIpMapRule? FindRule(string? host, string? sender, ReadOnlySpan<string?> instances)
    {
        var hostName = host is null ? null : NormaliseName(host);
        var domain = sender is null ? null : NormaliseName(sender[(sender.LastIndexOf('@') + 1)..]);
        SendingIpMapRule? best = null;
        var bestScore = 0;
        foreach (var (rule, pattern, wildcard, instance) in _rules)
        {
            var score = rule.Kind switch
            {
                SendingIpMapRuleKind.LogHost when instance is not null =>
                    MatchesInstance(instance, instances) ? HostScore(hostName, pattern, wildcard, 4000) : 0,
                SendingIpMapRuleKind.SenderDomain => DomainScore(domain, pattern, 3000),
                SendingIpMapRuleKind.LogHost => HostScore(hostName, pattern, wildcard, 2000),
                _ => HostScore(hostName, pattern, wildcard, 1000),
            };

            if (score > bestScore)
            {
                best = rule;
                bestScore = score;
            }
        }

        return best;
    }

    private static bool MatchesInstance(string instance, ReadOnlySpan<string?> names)
    {
        foreach (var name in names)
        {
            if (name is not null && name.Equals(instance, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Exact: base + 999; "*.suffix": base + labels of the suffix (subdomains only, never the suffix itself).</summary>
    private static int HostScore(string? host, string pattern, bool wildcard, int weight)
    {
        if (host is null)
        {
            return 0;
        }

        if (!wildcard)
        {
            return host == pattern ? weight + 999 : 0;
        }

        return host.Length > pattern.Length + 1 && host.EndsWith(pattern, StringComparison.Ordinal) && host[^(pattern.Length + 1)] == '.'
            ? weight + Math.Min(Labels(pattern), 900)
            : 0;
    }

    private static int DomainScore(string? domain, string pattern, int weight)
    {
        if (domain is null)
        {
            return 0;
        }

        if (domain == pattern)
        {
            return weight + 999;
        }

        return domain.EndsWith(pattern, StringComparison.Ordinal) && domain.Length > pattern.Length && domain[^(pattern.Length + 1)] == '.'
            ? weight + Math.Min(Labels(pattern), 900)
            : 0;
    }

    private static int Labels(string name) => name.Count(c => c == '.') + 1;

    private static string NormaliseName(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
