using System.Net;

namespace Deliverability.Core.Reports;

/// <summary>A report that cannot be read at all (not XML, no report id or organisation, no date range): nothing of it is stored.</summary>
public sealed class ReportFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a DMARC aggregate report says about itself and the policy the reporter found published.</summary>
public sealed record DmarcReportHeader(
    string OrgName,
    string ReportId,
    string? Email,
    DateTimeOffset Begin,
    DateTimeOffset End,
    string? PolicyDomain,
    string? PolicyP,
    string? PolicySp,
    int? PolicyPct,
    string? Adkim,
    string? Aspf);

/// <summary>A DKIM signature the receiver evaluated (auth_results), as it wrote it (lower case).</summary>
public sealed record DkimAuthResult(string? Domain, string? Selector, string? Result);

/// <summary>An SPF identity the receiver evaluated (auth_results): the domain, its scope (mfrom, helo) and the result.</summary>
public sealed record SpfAuthResult(string? Domain, string? Scope, string? Result);

/// <summary>
/// One row of a report: <see cref="Count"/> messages from one source IP with one outcome. <see cref="Dkim"/> and <see cref="Spf"/> are
/// the policy-evaluated (aligned) results; null where the reporter left them out.
/// </summary>
public sealed record DmarcRecord(
    IPAddress SourceIp,
    int Count,
    string? Disposition,
    string? Dkim,
    string? Spf,
    string? Reasons,
    string? HeaderFrom,
    string? EnvelopeFrom,
    string? EnvelopeTo,
    IReadOnlyList<DkimAuthResult> DkimResults,
    IReadOnlyList<SpfAuthResult> SpfResults)
{
    /// <summary>DMARC passes when DKIM or SPF passes aligned (RFC 7489 section 6.6.2).</summary>
    public bool DmarcPass => Dkim == "pass" || Spf == "pass";
}

/// <summary>A record the reader skipped, and why (its position among the report's records, from 1).</summary>
public sealed record SkippedRecord(int Position, string Problem);
