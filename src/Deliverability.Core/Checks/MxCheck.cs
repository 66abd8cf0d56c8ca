using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks;

/// <summary>The sending domain must accept mail (bounces, replies, DMARC reports): it needs MX records (RFC 5321 section 5.1).</summary>
public sealed class MxCheck(IDnsResolver dns)
{
    public const string Name = "mx";

    public async Task<CheckResult> RunAsync(string domain, CancellationToken cancellationToken)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        var mx = await dns.QueryAsync(domain, DnsRecordKind.Mx, cancellationToken);
        var lookups = new List<MxLookup> { new(domain, DnsRecordKind.Mx, mx.Outcome, mx.Records, mx.Error) };
        if (mx.IsFailure) return Result(CheckStatus.Unknown, $"MX lookup of {domain} failed: {mx.Error}");
        if (mx.Outcome == DnsOutcome.NxDomain) return Result(CheckStatus.Fail, $"{domain} does not exist (NXDOMAIN): receivers reject mail from it.");
        if (mx.Records.Count == 1 && mx.Records[0] is "" or ".")
        {
            return Result(CheckStatus.Warn, $"{domain} publishes a null MX (RFC 7505): it accepts no mail, so bounces and replies are lost.");
        }

        if (mx.Records.Count > 0) return Result(CheckStatus.Pass, $"MX: {string.Join(", ", mx.Records)}.");

        var a = await dns.QueryAsync(domain, DnsRecordKind.A, cancellationToken);
        lookups.Add(new(domain, DnsRecordKind.A, a.Outcome, a.Records, a.Error));
        if (a.IsFailure) return Result(CheckStatus.Unknown, $"No MX for {domain}, and the A lookup failed: {a.Error}");
        return a.Records.Count > 0
            ? Result(CheckStatus.Warn, $"No MX for {domain}: mail falls back to its A record ({string.Join(", ", a.Records)}, RFC 5321 implicit MX); publish an MX.")
            : Result(CheckStatus.Fail, $"{domain} has neither MX nor A records: it cannot receive bounces or replies.");

        CheckResult Result(CheckStatus status, string summary) =>
            CheckResult.Create(Name, domain, status, summary, new MxEvidence(domain, lookups), CheckLinks.Mx);
    }
}

public sealed record MxLookup(string Name, DnsRecordKind Kind, DnsOutcome Outcome, IReadOnlyList<string> Records, string? Error);

public sealed record MxEvidence(string Domain, IReadOnlyList<MxLookup> Lookups);
