using System.Net;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks.Spf;

/// <summary>
/// RFC 7208 check_host(): evaluates the SPF policy of a domain for a client IP, with the 10 DNS-lookup limit (section 4.6.4),
/// the 2 void-lookup limit, permerror for syntax errors and multiple records, and temperror for DNS failures.
/// Every term is recorded in a trace tree (<see cref="SpfRecordTrace"/>) so a page can show why.
/// </summary>
public sealed class SpfEvaluator(IDnsResolver dns, TimeProvider time)
{
    public const int MaxDnsLookups = 10;
    public const int MaxVoidLookups = 2;
    public const int MaxMxOrPtrNames = 10;

    /// <summary>Evaluates <paramref name="domain"/>'s policy for <paramref name="ip"/>; <paramref name="sender"/> defaults to postmaster@domain.</summary>
    public async Task<SpfEvaluation> EvaluateAsync(IPAddress ip, string domain, string? sender, string? helo, CancellationToken cancellationToken)
    {
        var run = new SpfCheckHostRun(dns, ReverseName.Normalize(ip), sender ?? $"postmaster@{domain}", helo ?? domain, time.GetUtcNow(), cancellationToken);
        var trace = new SpfRecordTrace { Domain = domain };
        string? explanation = null;
        SpfResult result;
        try
        {
            (result, explanation) = await run.CheckHostAsync(domain, trace, isTop: true);
        }
        catch (SpfAbortException abort)
        {
            result = abort.Result;
            trace.Result = result;
            trace.Reason ??= abort.Message;
        }

        return new SpfEvaluation(result, domain, ip.ToString(), trace.Reason ?? FindReason(trace), run.Lookups, run.VoidLookups, explanation, trace);
    }

    private static string? FindReason(SpfRecordTrace trace) =>
        trace.Reason ?? trace.Terms.Select(t => t.Nested is null ? null : FindReason(t.Nested)).FirstOrDefault(r => r is not null);
}
