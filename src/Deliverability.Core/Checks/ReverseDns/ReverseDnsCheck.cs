using System.Net;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks.ReverseDns;

/// <summary>PTR, forward-confirmed reverse DNS and (optionally) the HELO name of one sending IP.</summary>
public sealed class ReverseDnsCheck(IDnsResolver dns)
{
    public const string PtrName = "ptr";
    public const string FcrdnsName = "fcrdns";
    public const string HeloName = "helo";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(IPAddress ip, string? helo, CancellationToken cancellationToken)
    {
        var target = ip.ToString();
        var ptr = await dns.QueryPtrAsync(ip, cancellationToken);
        var results = new List<CheckResult>(3);

        // PTR
        var generic = ptr.Records.Select(n => new GenericVerdict(n, GenericPtrDetector.Reasons(n, ip))).ToList();
        var ptrEvidence = new PtrEvidence(ptr.Name, ptr.Outcome, ptr.Records, ptr.Error, generic);
        results.Add(ptr.Outcome switch
        {
            DnsOutcome.Failed => Create(PtrName, CheckStatus.Unknown, $"PTR lookup failed: {ptr.Error}", ptrEvidence),
            DnsOutcome.NxDomain or DnsOutcome.NoData => Create(PtrName, CheckStatus.Fail, $"No PTR record for {target}: Outlook, Gmail and Yahoo reject mail from IPs without reverse DNS.", ptrEvidence),
            _ when generic.Any(g => g.Reasons.Count > 0) => Create(PtrName, CheckStatus.Warn,
                $"PTR {ptr.Records[0]} looks generic/dynamic ({string.Join("; ", generic.First(g => g.Reasons.Count > 0).Reasons)}): Outlook rejects such hosts (DY-001); use a name like mail.yourdomain.", ptrEvidence),
            _ when ptr.Records.Count > 1 => Create(PtrName, CheckStatus.Warn, $"{ptr.Records.Count} PTR records ({string.Join(", ", ptr.Records)}): keep exactly one.", ptrEvidence),
            _ => Create(PtrName, CheckStatus.Pass, $"PTR {ptr.Records[0]}.", ptrEvidence),
        });

        // FCrDNS
        var forward = new List<ForwardLookup>();
        var confirmed = new List<string>();
        var failed = false;
        foreach (var name in ptr.Records.Take(10))
        {
            var answer = await dns.QueryAddressesAsync(name, ip, cancellationToken);
            forward.Add(new ForwardLookup(name, answer.Outcome, answer.Records, answer.Error));
            failed |= answer.IsFailure;
            if (ContainsAddress(answer, ip)) confirmed.Add(name);
        }

        var fcrdnsEvidence = new FcrdnsEvidence(ptr.Records, forward, confirmed);
        results.Add(ptr.Outcome == DnsOutcome.Failed
            ? Create(FcrdnsName, CheckStatus.Unknown, $"Cannot confirm reverse DNS: PTR lookup failed: {ptr.Error}", fcrdnsEvidence)
            : ptr.Records.Count == 0
                ? Create(FcrdnsName, CheckStatus.Fail, $"No PTR record, so no forward-confirmed reverse DNS for {target}.", fcrdnsEvidence)
                : confirmed.Count > 0
                    ? Create(FcrdnsName, CheckStatus.Pass, $"{confirmed[0]} resolves back to {target}.", fcrdnsEvidence)
                    : failed
                        ? Create(FcrdnsName, CheckStatus.Unknown, $"Forward lookup of {string.Join(", ", ptr.Records)} failed.", fcrdnsEvidence)
                        : Create(FcrdnsName, CheckStatus.Fail, $"{string.Join(", ", ptr.Records)} does not resolve back to {target} (FCrDNS fails; Gmail and Outlook check this).", fcrdnsEvidence));

        if (!string.IsNullOrWhiteSpace(helo)) results.Add(await CheckHeloAsync(ip, helo.Trim().TrimEnd('.'), ptr, cancellationToken));
        return results;

        CheckResult Create<T>(string check, CheckStatus status, string summary, T evidence) =>
            CheckResult.Create(check, target, status, summary, evidence, CheckLinks.ReverseDns);
    }

    private async Task<CheckResult> CheckHeloAsync(IPAddress ip, string helo, DnsAnswer ptr, CancellationToken cancellationToken)
    {
        var target = ip.ToString();
        var literal = helo.Trim('[', ']');
        if (IPAddress.TryParse(literal, out _))
        {
            return Create(CheckStatus.Fail, $"HELO {helo} is an address literal: use the server's host name (ideally its PTR name).", new HeloEvidence(helo, null, [], null, false));
        }

        if (!helo.Contains('.', StringComparison.Ordinal))
        {
            return Create(CheckStatus.Fail, $"HELO {helo} is not a fully qualified domain name.", new HeloEvidence(helo, null, [], null, false));
        }

        var answer = await dns.QueryAddressesAsync(helo, ip, cancellationToken);
        var matchesPtr = ptr.Records.Contains(helo, StringComparer.OrdinalIgnoreCase);
        var evidence = new HeloEvidence(helo, answer.Outcome, answer.Records, answer.Error, matchesPtr);
        if (answer.IsFailure) return Create(CheckStatus.Unknown, $"Lookup of HELO name {helo} failed: {answer.Error}", evidence);
        if (!ContainsAddress(answer, ip)) return Create(CheckStatus.Fail, $"HELO name {helo} does not resolve to {target} ({answer.Describe()}).", evidence);
        return matchesPtr
            ? Create(CheckStatus.Pass, $"HELO {helo} resolves to {target} and matches the PTR.", evidence)
            : Create(CheckStatus.Warn, $"HELO {helo} resolves to {target} but differs from the PTR ({(ptr.Records.Count > 0 ? string.Join(", ", ptr.Records) : "none")}).", evidence);

        CheckResult Create(CheckStatus status, string summary, HeloEvidence evidence) =>
            CheckResult.Create(HeloName, target, status, summary, evidence, CheckLinks.ReverseDns);
    }

    private static bool ContainsAddress(DnsAnswer answer, IPAddress ip) =>
        answer.Records.Any(r => IPAddress.TryParse(r, out var a) && ReverseName.Normalize(a).Equals(ReverseName.Normalize(ip)));
}

public sealed record GenericVerdict(string Name, IReadOnlyList<string> Reasons);

public sealed record PtrEvidence(string Query, DnsOutcome Outcome, IReadOnlyList<string> Names, string? Error, IReadOnlyList<GenericVerdict> Generic);

public sealed record ForwardLookup(string Name, DnsOutcome Outcome, IReadOnlyList<string> Addresses, string? Error);

public sealed record FcrdnsEvidence(IReadOnlyList<string> PtrNames, IReadOnlyList<ForwardLookup> Forward, IReadOnlyList<string> ConfirmedNames);

public sealed record HeloEvidence(string Helo, DnsOutcome? Outcome, IReadOnlyList<string> Addresses, string? Error, bool MatchesPtr);
