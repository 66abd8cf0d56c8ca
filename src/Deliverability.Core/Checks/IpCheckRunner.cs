using System.Net;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Checks;

/// <summary>A DKIM key to check: the signing domain and selector.</summary>
public sealed record DkimSelector(string Domain, string Selector)
{
    /// <summary>Parses "domain:selector".</summary>
    public static DkimSelector Parse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1) throw new FormatException($"'{value}' is not domain:selector");
        return new DkimSelector(value[..colon].Trim().TrimEnd('.').ToLowerInvariant(), value[(colon + 1)..].Trim());
    }
}

/// <summary>
/// What to check for one sending IP: the domains it sends for (SPF, DMARC, MX, Outlook rule), DKIM keys, the HELO name it uses,
/// and which domains are currently being blocked (their DMARC warnings then say it is urgent).
/// <paramref name="Blocklists"/> and <paramref name="SpamhausDqsKey"/> replace the configured list selection and DQS key when given
/// (the stored settings of the web app); null keeps the configuration.
/// </summary>
public sealed record IpCheckRequest(
    IPAddress Ip,
    IReadOnlyList<string> Domains,
    IReadOnlyList<DkimSelector> DkimSelectors,
    string? Helo = null,
    IReadOnlyCollection<string>? BlockedDomains = null,
    bool IncludeBlocklists = true,
    bool IncludeSenderScore = true,
    IReadOnlyCollection<string>? Blocklists = null,
    string? SpamhausDqsKey = null);

/// <summary>
/// Runs every check for one IP (or many) with bounded concurrency: at most <see cref="ChecksOptions.MaxConcurrentChecks"/>
/// checks in flight across all calls of this (singleton) runner. Results come back in a stable order.
/// </summary>
public sealed class IpCheckRunner(
    ReverseDnsCheck reverseDns,
    SpfCheck spf,
    DkimCheck dkim,
    DmarcCheck dmarc,
    MxCheck mx,
    BlocklistCheck blocklists,
    SenderScoreCheck senderScore,
    DnsTrustProbe trustProbe,
    IOptions<ChecksOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentChecks, options.Value.MaxConcurrentChecks);

    /// <summary>A run's DNS probes: pass it to every <see cref="RunAsync(IpCheckRequest, DnsTrustRun, CancellationToken)"/> of the run, then store its <see cref="DnsTrustRun.Report"/>.</summary>
    public DnsTrustRun BeginRun() => trustProbe.BeginRun();

    /// <summary>One IP in a run of its own.</summary>
    public Task<IReadOnlyList<CheckResult>> RunAsync(IpCheckRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, BeginRun(), cancellationToken);

    /// <summary>
    /// Every check of one IP. The resolver is probed first (once per <paramref name="trust"/>): when it answers a probe wrongly, every
    /// result is Unknown with the reason (all of them come from DNS). Blocklists are read only through their test points.
    /// </summary>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(IpCheckRequest request, DnsTrustRun trust, CancellationToken cancellationToken)
    {
        var resolver = await trust.ResolverAsync(cancellationToken);
        var results = await RunChecksAsync(request, resolver.Trusted ? trust : null, cancellationToken);
        return resolver.Trusted
            ? results
            : results.Select(r => DnsTrustProbe.Untrusted(r, Subject(r.Check), DnsTrustProbe.ResolverReason, resolver.Problem, resolver.Probes)).ToList();
    }

    private async Task<IReadOnlyList<CheckResult>> RunChecksAsync(IpCheckRequest request, DnsTrustRun? listTrust, CancellationToken cancellationToken)
    {
        var ip = request.Ip;
        var blocked = new HashSet<string>(request.BlockedDomains ?? [], StringComparer.OrdinalIgnoreCase);
        var domains = request.Domains.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToList();

        var target = ReverseName.Normalize(ip).ToString();
        var reverse = Gate(() => reverseDns.RunAsync(ip, request.Helo, cancellationToken),
            ex => [Crashed(ReverseDnsCheck.PtrName, target, ex)], cancellationToken);
        var perDomain = domains.Select(d => new
        {
            Domain = d,
            Spf = Gate(() => spf.RunAsync(ip, d, request.Helo, cancellationToken), ex => Crashed(SpfCheck.Name, d, ex), cancellationToken),
            Dmarc = Gate(() => dmarc.RunAsync(d, blocked.Contains(d), cancellationToken), ex => Crashed(DmarcCheck.Name, d, ex), cancellationToken),
            Mx = Gate(() => mx.RunAsync(d, cancellationToken), ex => Crashed(MxCheck.Name, d, ex), cancellationToken),
        }).ToList();
        var dkimTasks = request.DkimSelectors.Distinct()
            .Select(s => (Selector: s, Task: Gate(() => dkim.RunAsync(s.Domain, s.Selector, cancellationToken),
                ex => Crashed(DkimCheck.Name, $"{s.Selector}._domainkey.{s.Domain}", ex), cancellationToken)))
            .ToList();
        var listTasks = request.IncludeBlocklists
            ? blocklists.Zones(request.Blocklists).Where(z => BlocklistCheck.Applies(z, ip))
                .Select(z => Gate(() => blocklists.RunAsync(ip, z, request.SpamhausDqsKey, listTrust, cancellationToken), ex => Crashed(BlocklistCheck.CheckName(z), target, ex), cancellationToken)).ToList()
            : [];
        var scoreTask = request.IncludeSenderScore
            ? Gate(() => senderScore.RunAsync(ip, cancellationToken), ex => Crashed(SenderScoreCheck.Name, target, ex), cancellationToken)
            : null;

        var results = new List<CheckResult>();
        results.AddRange(await reverse);
        var dkimResults = new List<CheckResult>();
        foreach (var (_, task) in dkimTasks) dkimResults.Add(await task);
        foreach (var d in perDomain)
        {
            var spfResult = await d.Spf;
            var dmarcResult = await d.Dmarc;
            var domainDkim = dkimResults.Where(r => r.EvidenceAs<DkimEvidence>()?.Domain is { } kd
                && OrganizationalDomain.Of(kd) == OrganizationalDomain.Of(d.Domain)).ToList();
            results.Add(spfResult);
            results.AddRange(domainDkim);
            results.Add(dmarcResult);
            results.Add(OutlookHighVolumeRule.Evaluate(d.Domain, spfResult, domainDkim, dmarcResult));
            results.Add(await d.Mx);
        }

        results.AddRange(dkimResults.Where(r => !results.Contains(r)));
        foreach (var task in listTasks) results.Add(await task);
        if (scoreTask is not null) results.Add(await scoreTask);
        return results;
    }

    /// <summary>Runs many requests as one run (one resolver probe, one set of test points per list), with the same shared limit on checks in flight.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<CheckResult>>> RunManyAsync(IReadOnlyList<IpCheckRequest> requests, CancellationToken cancellationToken) =>
        await RunManyAsync(requests, BeginRun(), cancellationToken);

    public async Task<IReadOnlyList<IReadOnlyList<CheckResult>>> RunManyAsync(IReadOnlyList<IpCheckRequest> requests, DnsTrustRun trust, CancellationToken cancellationToken) =>
        await Task.WhenAll(requests.Select(r => RunAsync(r, trust, cancellationToken)));

    public void Dispose() => _slots.Dispose();

    /// <summary>Runs one check inside the concurrency limit; a bug in one check becomes an Unknown result instead of failing the run.</summary>
    private async Task<T> Gate<T>(Func<Task<T>> check, Func<Exception, T> onCrash, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await check();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return onCrash(ex);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static string Subject(string check) =>
        check.StartsWith(BlocklistCheck.Prefix, StringComparison.Ordinal)
            ? BlocklistCatalogue.Find(check[BlocklistCheck.Prefix.Length..])?.Name ?? check
            : check;

    private static CheckResult Crashed(string check, string target, Exception ex) =>
        CheckResult.Create(check, target, CheckStatus.Unknown, $"Check failed unexpectedly: {ex.Message}", new { Error = ex.GetType().Name, ex.Message });
}
