using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks.Spf;

/// <summary>One term as evaluated: what it asked DNS, what came back, whether it matched, and any nested record.</summary>
public sealed class SpfTermTrace
{
    public required string Term { get; init; }

    /// <summary>The domain after macro expansion, when the term has one.</summary>
    public string? Target { get; set; }

    public List<SpfDnsTrace> Lookups { get; } = [];

    /// <summary>True matched, false did not, null not reached a verdict (error).</summary>
    public bool? Matched { get; set; }

    public string? Note { get; set; }

    /// <summary>The record an include or redirect evaluated.</summary>
    public SpfRecordTrace? Nested { get; set; }
}

public sealed record SpfDnsTrace(string Name, DnsRecordKind Kind, DnsOutcome Outcome, IReadOnlyList<string> Records, string? Error);

/// <summary>One check_host() call: the domain, the record found and each term in order.</summary>
public sealed class SpfRecordTrace
{
    public required string Domain { get; init; }

    public string? Record { get; set; }

    /// <summary>The TXT query that found (or did not find) the record.</summary>
    public SpfDnsTrace? Query { get; set; }

    public SpfResult Result { get; set; }

    public string? Reason { get; set; }

    public List<SpfTermTrace> Terms { get; } = [];
}

/// <summary>The answer of check_host() with the figures a page shows: lookups and void lookups used, explanation, and the trace tree.</summary>
public sealed record SpfEvaluation(
    SpfResult Result,
    string Domain,
    string Ip,
    string? Reason,
    int DnsLookups,
    int VoidLookups,
    string? Explanation,
    SpfRecordTrace Trace);
