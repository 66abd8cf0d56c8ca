using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Checks;

/// <summary>What a probe name must get: an answer, NXDOMAIN, a listing, or no listing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DnsProbeExpectation>))]
public enum DnsProbeExpectation
{
    [JsonStringEnumMemberName("exists")]
    Exists,
    [JsonStringEnumMemberName("does_not_exist")]
    DoesNotExist,
    [JsonStringEnumMemberName("listed")]
    Listed,
    [JsonStringEnumMemberName("not_listed")]
    NotListed,
}

/// <summary>One question whose right answer is known, and what came back.</summary>
public sealed record DnsProbe(string Name, DnsProbeExpectation Expected, DnsOutcome Outcome, IReadOnlyList<string> Answers, string? Error, bool Passed, string? Problem)
{
    /// <summary>The answer for people: the records, "NXDOMAIN", "no records" or the error.</summary>
    public string DescribeAnswer() => new DnsAnswer(Name, DnsRecordKind.A, Outcome, Answers, Error).Describe();
}

/// <summary>The resolver as a whole: a name that must exist and one that must not. Not trusted when either answers wrongly.</summary>
public sealed record ResolverHealth(bool Trusted, IReadOnlyList<DnsProbe> Probes)
{
    public string? Problem => Probes.FirstOrDefault(p => !p.Passed)?.Problem;
}

/// <summary>One list's test points (RFC 5782 section 5) in one run. Not trusted when one answers wrongly.</summary>
public sealed record ListHealth(string Zone, string Name, bool Trusted, IReadOnlyList<DnsProbe> Probes)
{
    public string? Problem => Probes.FirstOrDefault(p => !p.Passed)?.Problem;
}

/// <summary>What a run learnt about DNS before trusting it: stored with the run (check_runs.dns_health) and shown on the settings page.</summary>
public sealed record DnsHealthReport(DateTimeOffset ProbedAt, ResolverHealth? Resolver, IReadOnlyList<ListHealth> Lists)
{
    public string ToJson() => JsonSerializer.Serialize(this, CheckJson.Options);

    public static DnsHealthReport? FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<DnsHealthReport>(json, CheckJson.Options);
}

/// <summary>
/// Asks names whose right answers are known before DNS answers are believed: the resolver probe (<see cref="ChecksOptions.ResolverMustExist"/>,
/// <see cref="ChecksOptions.ResolverMustNotExist"/>) and each list's test points. A resolver that answers NXDOMAIN to everything would
/// otherwise read as "not listed" everywhere, and one that rewrites NXDOMAIN as "listed" everywhere.
/// </summary>
public sealed class DnsTrustProbe(IDnsResolver dns, IOptions<ChecksOptions> options, TimeProvider time)
{
    /// <summary>The words every result of an untrusted list carries.</summary>
    public const string ListReason = "the resolver or the list is not answering correctly";

    /// <summary>The words every DNS result of a run with an untrusted resolver carries.</summary>
    public const string ResolverReason = "the resolver is not answering correctly";

    /// <summary>A new run: the resolver is probed once, each list's test points once, however many IPs the run checks.</summary>
    public DnsTrustRun BeginRun() => new(this, time.GetUtcNow());

    internal async Task<ResolverHealth> ProbeResolverAsync(CancellationToken cancellationToken)
    {
        var probes = new List<DnsProbe>();
        var mustExist = options.Value.ResolverMustExist?.Trim().TrimEnd('.');
        var mustNotExist = options.Value.ResolverMustNotExist?.Trim().TrimEnd('.');
        if (!string.IsNullOrEmpty(mustExist))
        {
            var answer = await AskAsync(new DnsQuestion(mustExist, DnsRecordKind.A), cancellationToken);
            var passed = answer.Outcome == DnsOutcome.Found;
            probes.Add(Probe(mustExist, DnsProbeExpectation.Exists, answer, passed,
                passed ? null : $"{mustExist} must exist, the answer was {answer.Describe()}"));
        }

        if (!string.IsNullOrEmpty(mustNotExist))
        {
            var answer = await AskAsync(new DnsQuestion(mustNotExist, DnsRecordKind.A), cancellationToken);
            var passed = answer.Outcome == DnsOutcome.NxDomain;
            probes.Add(Probe(mustNotExist, DnsProbeExpectation.DoesNotExist, answer, passed,
                passed ? null : $"{mustNotExist} must not exist, the answer was {answer.Describe()}"));
        }

        return new ResolverHealth(probes.All(p => p.Passed), probes);
    }

    /// <summary>Asks <paramref name="queriedZone"/> (the zone as actually queried) for the list's test points; <paramref name="secret"/> (a DQS key) is masked in the evidence.</summary>
    internal async Task<ListHealth> ProbeListAsync(BlocklistZone zone, string queriedZone, string? secret, CancellationToken cancellationToken)
    {
        var points = zone.EffectiveTestPoints;
        var probes = new List<DnsProbe>();
        if (points.MustBeListed is { } listed)
        {
            var answer = await AskAsync(new DnsQuestion($"{listed}.{queriedZone}", DnsRecordKind.A, queriedZone), cancellationToken);
            var readings = answer.Records.Select(r => BlocklistCheck.Read(zone, r)).ToList();
            var passed = answer.Outcome == DnsOutcome.Found && readings.Count > 0 && readings.All(r => r.Status != CheckStatus.Unknown);
            var said = answer.Outcome == DnsOutcome.Found ? string.Join("; ", readings.Select(r => $"{r.Answer} {r.Meaning}")) : answer.Describe();
            probes.Add(Probe(Mask($"{listed}.{queriedZone}", secret), DnsProbeExpectation.Listed, answer, passed,
                passed ? null : $"test point {BlocklistTestPoints.Display(listed)} must be listed, the answer was {said}"));
        }

        if (points.MustNotBeListed is { } notListed)
        {
            var answer = await AskAsync(new DnsQuestion($"{notListed}.{queriedZone}", DnsRecordKind.A, queriedZone), cancellationToken);
            var passed = answer.IsEmpty;
            probes.Add(Probe(Mask($"{notListed}.{queriedZone}", secret), DnsProbeExpectation.NotListed, answer, passed,
                passed ? null : $"test point {BlocklistTestPoints.Display(notListed)} must not be listed, the answer was {answer.Describe()}"));
        }

        return new ListHealth(zone.Zone, zone.Name, probes.All(p => p.Passed), probes);
    }

    /// <summary>
    /// The same result, now Unknown with <paramref name="reason"/> and the failed probe. What the lookup itself said moves under
    /// <c>untrusted</c> (<c>status_as_read</c>, <c>summary_as_read</c>, <c>details_as_read</c>), so no reader takes a score, a
    /// listing or a record from it as a fact.
    /// </summary>
    public static CheckResult Untrusted(CheckResult result, string subject, string reason, string? problem, IReadOnlyList<DnsProbe> probes)
    {
        var details = new JsonObject
        {
            ["untrusted"] = new JsonObject
            {
                ["reason"] = reason,
                ["problem"] = problem,
                ["status_as_read"] = JsonSerializer.SerializeToNode(result.Status, CheckJson.Options),
                ["summary_as_read"] = result.Summary,
                ["details_as_read"] = result.Details.DeepClone(),
                ["probes"] = JsonSerializer.SerializeToNode(probes, CheckJson.Options),
            },
        };
        var summary = $"{subject}: unknown, {reason}{(problem is null ? "" : $" ({problem})")}.";
        return result with { Status = CheckStatus.Unknown, Summary = summary, Details = details };
    }

    /// <summary>A probe that throws has failed: it must never fail the run, nor pass.</summary>
    private async Task<DnsAnswer> AskAsync(DnsQuestion question, CancellationToken cancellationToken)
    {
        try
        {
            return await dns.QueryAsync(question, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return DnsAnswer.Failed(question.Name, question.Kind, ex.Message);
        }
    }

    private static DnsProbe Probe(string name, DnsProbeExpectation expected, DnsAnswer answer, bool passed, string? problem) =>
        new(name, expected, answer.Outcome, answer.Records, answer.Error, passed, problem);

    private static string Mask(string name, string? secret) =>
        string.IsNullOrWhiteSpace(secret) ? name : name.Replace(secret.Trim(), "<dqs-key>", StringComparison.Ordinal);
}

/// <summary>
/// The probes of one run, each asked once and shared by every IP of the run (a bench of 1,000 IPs asks each list's test points
/// once, not 1,000 times). Thread-safe.
/// </summary>
public sealed class DnsTrustRun
{
    private readonly DnsTrustProbe _probe;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ListHealth>>> _lists = new(StringComparer.OrdinalIgnoreCase);
    private Task<ResolverHealth>? _resolver;

    internal DnsTrustRun(DnsTrustProbe probe, DateTimeOffset startedAt)
    {
        _probe = probe;
        StartedAt = startedAt;
    }

    public DateTimeOffset StartedAt { get; }

    public Task<ResolverHealth> ResolverAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _resolver ??= _probe.ProbeResolverAsync(cancellationToken);
        }
    }

    public Task<ListHealth> ListAsync(BlocklistZone zone, string queriedZone, string? secret, CancellationToken cancellationToken) =>
        _lists.GetOrAdd(queriedZone, _ => new Lazy<Task<ListHealth>>(() => _probe.ProbeListAsync(zone, queriedZone, secret, cancellationToken))).Value;

    /// <summary>What was probed so far (lists in zone order), for storage and the settings page.</summary>
    public DnsHealthReport Report()
    {
        var resolver = _resolver is { IsCompletedSuccessfully: true } r ? r.Result : null;
        var lists = _lists.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result)
            .OrderBy(l => l.Zone, StringComparer.Ordinal).ToList();
        return new DnsHealthReport(StartedAt, resolver, lists);
    }
}
