using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks.Spf;

/// <summary>Ends the whole evaluation at once with a result (a lookup limit, a DNS failure).</summary>
internal sealed class SpfAbortException(SpfResult result, string message) : Exception(message)
{
    public SpfResult Result { get; } = result;
}

/// <summary>One check_host() evaluation: the DNS lookups it made so far and the terms it walked, for <see cref="SpfEvaluator"/>.</summary>
internal sealed class SpfCheckHostRun(IDnsResolver dns, IPAddress ip, string sender, string helo, DateTimeOffset now, CancellationToken ct)
{
    public int Lookups { get; private set; }

    public int VoidLookups { get; private set; }

    private bool IsV6 => ip.AddressFamily == AddressFamily.InterNetworkV6;

    public async Task<(SpfResult Result, string? Explanation)> CheckHostAsync(string domain, SpfRecordTrace trace, bool isTop)
    {
        domain = domain.TrimEnd('.');
        if (!SpfNames.IsValidDomain(domain))
        {
            return Finish(trace, SpfResult.None, $"'{domain}' is not a valid multi-label domain name");
        }

        var txt = await dns.QueryAsync(new DnsQuestion(domain, DnsRecordKind.Txt), ct);
        trace.Query = new SpfDnsTrace(domain, DnsRecordKind.Txt, txt.Outcome, txt.Records, txt.Error);
        if (txt.IsFailure) return Finish(trace, SpfResult.TempError, $"TXT lookup for {domain} failed: {txt.Error}");
        var spf = txt.Records.Where(SpfRecordParser.IsSpfRecord).ToList();
        if (spf.Count == 0) return Finish(trace, SpfResult.None, $"no SPF record at {domain}");
        if (spf.Count > 1)
        {
            trace.Record = string.Join(" | ", spf);
            return Finish(trace, SpfResult.PermError, $"{spf.Count} SPF records at {domain} (only one is allowed)");
        }

        trace.Record = spf[0];
        var parsed = SpfRecordParser.Parse(spf[0]);
        if (!parsed.IsValid) return Finish(trace, SpfResult.PermError, $"syntax error in SPF record of {domain}: {parsed.Error}");
        var record = parsed.Record!;
        var context = new SpfMacroContext(ip, sender, domain, helo, now);

        foreach (var term in record.Directives)
        {
            var termTrace = new SpfTermTrace { Term = term.Text };
            trace.Terms.Add(termTrace);
            if (term.CountsAsLookup) CountLookup(termTrace);
            bool matched;
            try
            {
                matched = await MatchAsync(term, context, termTrace);
            }
            catch (SpfAbortException abort)
            {
                termTrace.Note ??= abort.Message;
                trace.Result = abort.Result;
                trace.Reason = abort.Message;
                throw;
            }

            termTrace.Matched = matched;
            if (!matched) continue;
            var result = term.QualifierResult;
            string? explanation = null;
            if (result == SpfResult.Fail && record.Explanation is not null)
            {
                explanation = await ExplainAsync(record.Explanation, context);
            }

            trace.Result = result;
            return (result, explanation);
        }

        if (record.Redirect is { } redirect)
        {
            var termTrace = new SpfTermTrace { Term = redirect.Text };
            trace.Terms.Add(termTrace);
            CountLookup(termTrace);
            var target = ExpandDomain(redirect.DomainSpec!, context, termTrace);
            termTrace.Target = target;
            var nested = new SpfRecordTrace { Domain = target };
            termTrace.Nested = nested;
            (SpfResult Result, string? Explanation) inner;
            try
            {
                inner = await CheckHostAsync(target, nested, isTop: false);
            }
            catch (SpfAbortException abort)
            {
                trace.Result = abort.Result;
                trace.Reason = abort.Message;
                throw;
            }

            termTrace.Matched = true;
            if (inner.Result == SpfResult.None)
            {
                return Finish(trace, SpfResult.PermError, $"redirect target {target} has no SPF record");
            }

            trace.Result = inner.Result;
            return inner;
        }

        trace.Result = SpfResult.Neutral;
        return (SpfResult.Neutral, null);
    }

    private static (SpfResult, string?) Finish(SpfRecordTrace trace, SpfResult result, string reason)
    {
        trace.Result = result;
        trace.Reason = reason;
        return (result, null);
    }

    private void CountLookup(SpfTermTrace termTrace)
    {
        Lookups++;
        if (Lookups > SpfEvaluator.MaxDnsLookups)
        {
            termTrace.Note = $"DNS lookup {Lookups}: over the limit of {SpfEvaluator.MaxDnsLookups}";
            throw new SpfAbortException(SpfResult.PermError, $"more than {SpfEvaluator.MaxDnsLookups} DNS lookups (at '{termTrace.Term}')");
        }
    }

    private async Task<DnsAnswer> QueryAsync(string name, DnsRecordKind kind, SpfTermTrace termTrace, bool countVoid = true)
    {
        var answer = await dns.QueryAsync(new DnsQuestion(name, kind), ct);
        termTrace.Lookups.Add(new SpfDnsTrace(name, kind, answer.Outcome, answer.Records, answer.Error));
        if (countVoid && answer.IsEmpty)
        {
            VoidLookups++;
            if (VoidLookups > SpfEvaluator.MaxVoidLookups)
            {
                termTrace.Note = $"void lookup {VoidLookups}: over the limit of {SpfEvaluator.MaxVoidLookups}";
                throw new SpfAbortException(SpfResult.PermError, $"more than {SpfEvaluator.MaxVoidLookups} void DNS lookups (at '{termTrace.Term}')");
            }
        }

        return answer;
    }

    private static string ExpandDomain(string spec, SpfMacroContext context, SpfTermTrace termTrace)
    {
        try
        {
            return SpfMacroExpander.ExpandDomain(spec, context);
        }
        catch (FormatException ex)
        {
            termTrace.Note = ex.Message;
            throw new SpfAbortException(SpfResult.PermError, $"macro error in '{termTrace.Term}': {ex.Message}");
        }
    }

    private async Task<bool> MatchAsync(SpfTerm term, SpfMacroContext context, SpfTermTrace termTrace)
    {
        switch (term.Name)
        {
            case "all":
                return true;
            case "ip4":
            case "ip6":
                {
                    var family = term.Name == "ip4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                    if (ip.AddressFamily != family) return false;
                    return new IPNetwork(SpfNames.Mask(term.Network!, term.Cidr4 ?? term.Cidr6 ?? 0), term.Cidr4 ?? term.Cidr6 ?? 0).Contains(ip);
                }

            case "a":
                {
                    var target = term.DomainSpec is null ? context.Domain : ExpandDomain(term.DomainSpec, context, termTrace);
                    termTrace.Target = target;
                    var answer = await QueryAsync(target, IsV6 ? DnsRecordKind.Aaaa : DnsRecordKind.A, termTrace);
                    if (answer.IsFailure) throw new SpfAbortException(SpfResult.TempError, $"lookup of {target} failed: {answer.Error}");
                    return AnyInNetwork(answer.Records, term);
                }

            case "mx":
                {
                    var target = term.DomainSpec is null ? context.Domain : ExpandDomain(term.DomainSpec, context, termTrace);
                    termTrace.Target = target;
                    var mx = await QueryAsync(target, DnsRecordKind.Mx, termTrace);
                    if (mx.IsFailure) throw new SpfAbortException(SpfResult.TempError, $"MX lookup of {target} failed: {mx.Error}");
                    if (mx.Records.Count > SpfEvaluator.MaxMxOrPtrNames)
                    {
                        throw new SpfAbortException(SpfResult.PermError, $"{target} has {mx.Records.Count} MX records (limit {SpfEvaluator.MaxMxOrPtrNames})");
                    }

                    foreach (var exchange in mx.Records)
                    {
                        var addresses = await QueryAsync(exchange, IsV6 ? DnsRecordKind.Aaaa : DnsRecordKind.A, termTrace, countVoid: false);
                        if (addresses.IsFailure) throw new SpfAbortException(SpfResult.TempError, $"lookup of MX host {exchange} failed: {addresses.Error}");
                        if (AnyInNetwork(addresses.Records, term)) return true;
                    }

                    return false;
                }

            case "ptr":
                {
                    var target = term.DomainSpec is null ? context.Domain : ExpandDomain(term.DomainSpec, context, termTrace);
                    termTrace.Target = target;
                    var ptr = await QueryAsync(ReverseName.ForPtr(ip), DnsRecordKind.Ptr, termTrace);
                    if (ptr.IsFailure)
                    {
                        termTrace.Note = "PTR lookup failed: the mechanism does not match (section 5.5)";
                        return false;
                    }

                    foreach (var name in ptr.Records.Take(SpfEvaluator.MaxMxOrPtrNames))
                    {
                        if (!SpfNames.IsSameOrSubdomain(name, target)) continue;
                        var addresses = await QueryAsync(name, IsV6 ? DnsRecordKind.Aaaa : DnsRecordKind.A, termTrace, countVoid: false);
                        if (addresses.Records.Any(a => IPAddress.TryParse(a, out var addr) && addr.Equals(ip))) return true;
                    }

                    return false;
                }

            case "exists":
                {
                    var target = ExpandDomain(term.DomainSpec!, context, termTrace);
                    termTrace.Target = target;
                    var answer = await QueryAsync(target, DnsRecordKind.A, termTrace);
                    if (answer.IsFailure) throw new SpfAbortException(SpfResult.TempError, $"lookup of {target} failed: {answer.Error}");
                    return answer.Records.Count > 0;
                }

            case "include":
                {
                    var target = ExpandDomain(term.DomainSpec!, context, termTrace);
                    termTrace.Target = target;
                    var nested = new SpfRecordTrace { Domain = target };
                    termTrace.Nested = nested;
                    var (inner, _) = await CheckHostAsync(target, nested, isTop: false);
                    termTrace.Note = $"include result: {inner.ToString().ToLowerInvariant()}";
                    return inner switch
                    {
                        SpfResult.Pass => true,
                        SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => false,
                        SpfResult.TempError => throw new SpfAbortException(SpfResult.TempError, $"include:{target} gave temperror: {nested.Reason}"),
                        SpfResult.None => throw new SpfAbortException(SpfResult.PermError, $"include:{target} has no SPF record"),
                        _ => throw new SpfAbortException(SpfResult.PermError, $"include:{target} gave permerror: {nested.Reason}"),
                    };
                }

            default:
                throw new SpfAbortException(SpfResult.PermError, $"unknown mechanism {term.Name}");
        }
    }

    private async Task<string?> ExplainAsync(SpfTerm exp, SpfMacroContext context)
    {
        try
        {
            var target = SpfMacroExpander.ExpandDomain(exp.DomainSpec!, context);
            var txt = await dns.QueryAsync(new DnsQuestion(target, DnsRecordKind.Txt), ct);
            if (txt.Records.Count != 1) return null;
            return SpfMacroExpander.Validate(txt.Records[0], allowExplanationLetters: true) is null
                ? SpfMacroExpander.Expand(txt.Records[0], context, isExplanation: true)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private bool AnyInNetwork(IEnumerable<string> addresses, SpfTerm term)
    {
        var prefix = IsV6 ? term.Cidr6 ?? 128 : term.Cidr4 ?? 32;
        foreach (var text in addresses)
        {
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != ip.AddressFamily) continue;
            if (new IPNetwork(SpfNames.Mask(address, prefix), prefix).Contains(ip)) return true;
        }

        return false;
    }
}
