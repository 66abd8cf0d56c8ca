using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks.Dmarc;

/// <summary>
/// Finds and validates the DMARC record of a domain: _dmarc.&lt;domain&gt;, falling back to the organizational domain
/// (<see cref="OrganizationalDomain"/>). p=none is a warning; when the caller says the domain is being blocked the summary says it is urgent.
/// </summary>
public sealed class DmarcCheck(IDnsResolver dns)
{
    public const string Name = "dmarc";

    public async Task<CheckResult> RunAsync(string domain, bool domainIsBlocked, CancellationToken cancellationToken)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        var lookups = new List<DmarcLookup>();
        var org = OrganizationalDomain.Of(domain);
        var names = org == domain ? new[] { domain } : new[] { domain, org };
        var urgent = domainIsBlocked ? " Urgent: this domain is being blocked, and mailbox providers expect DMARC." : "";

        foreach (var name in names)
        {
            var query = $"_dmarc.{name}";
            var answer = await dns.QueryAsync(query, DnsRecordKind.Txt, cancellationToken);
            var records = answer.Records.Where(DmarcRecordParser.IsDmarcRecord).ToList();
            lookups.Add(new DmarcLookup(query, answer.Outcome, answer.Records, answer.Error));
            if (answer.IsFailure)
            {
                return Result(CheckStatus.Unknown, $"DMARC lookup {query} failed: {answer.Error}", new DmarcEvidence(domain, org, lookups, null, null));
            }

            if (records.Count > 1)
            {
                return Result(CheckStatus.Fail, $"{records.Count} DMARC records at {query}: receivers discard them all, so {domain} has no DMARC policy.{urgent}",
                    new DmarcEvidence(domain, org, lookups, name, null));
            }

            if (records.Count == 0) continue;
            var record = DmarcRecordParser.Parse(records[0]);
            var evidence = new DmarcEvidence(domain, org, lookups, name, record);
            var from = name == domain ? "" : $" (inherited from {name})";
            if (!record.IsValid)
            {
                return Result(CheckStatus.Fail, $"DMARC record{from} is invalid: {string.Join("; ", record.Errors)}.{urgent}", evidence);
            }

            var applied = name == domain ? record.Policy : record.SubdomainPolicy ?? record.Policy;
            if (applied == "none")
            {
                return Result(CheckStatus.Warn, $"DMARC p=none{from}: monitoring only, nothing is enforced.{(domainIsBlocked ? " Urgent: move to quarantine/reject once SPF and DKIM align, providers weigh it heavily while you are blocked." : " Meets the Outlook/Gmail bulk-sender minimum; plan quarantine/reject.")}", evidence);
            }

            return Result(CheckStatus.Pass, $"DMARC p={applied}{from}{(record.Notes.Count > 0 ? $" ({record.Notes.Count} note(s))" : "")}.", evidence);
        }

        return Result(CheckStatus.Fail, $"No DMARC record at _dmarc.{domain}{(org != domain ? $" or _dmarc.{org}" : "")}: Outlook (5.7.515) and Gmail require at least p=none.{urgent}",
            new DmarcEvidence(domain, org, lookups, null, null));

        CheckResult Result(CheckStatus status, string summary, DmarcEvidence evidence) =>
            CheckResult.Create(Name, domain, status, summary, evidence, CheckLinks.Dmarc);
    }
}

public sealed record DmarcLookup(string Query, DnsOutcome Outcome, IReadOnlyList<string> Records, string? Error);

public sealed record DmarcEvidence(string Domain, string OrganizationalDomain, IReadOnlyList<DmarcLookup> Lookups, string? FoundAt, DmarcRecord? Record);
