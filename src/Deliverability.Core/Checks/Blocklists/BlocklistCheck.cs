using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Checks.Blocklists;

/// <summary>
/// Looks an IP up in one DNS blocklist (RFC 5782): A answer = listed, read through the catalogue's return codes;
/// NXDOMAIN/NODATA = not listed; a failed lookup or a Spamhaus 127.255.255.x answer = Unknown, never "listed" or "pass".
/// </summary>
public sealed class BlocklistCheck(IDnsResolver dns, IOptions<ChecksOptions> options)
{
    public const string Prefix = "blocklist:";

    public static string CheckName(BlocklistZone zone) => Prefix + zone.Zone;

    /// <summary>The zones to check: <paramref name="selection"/> when given (e.g. from the settings page), else the options (enabled list, or defaults).</summary>
    public IReadOnlyList<BlocklistZone> Zones(IReadOnlyCollection<string>? selection = null)
    {
        var configured = selection ?? (IReadOnlyCollection<string>)options.Value.Blocklists;
        if (selection is not null) return configured.Select(Resolve).ToList();
        if (configured.Count == 0) return BlocklistCatalogue.All.Where(z => z.EnabledByDefault).ToList();
        return configured.Select(Resolve).ToList();

        static BlocklistZone Resolve(string z) =>
            BlocklistCatalogue.Find(z) ?? new BlocklistZone(z.Trim('.'), z, "custom zone", [], "", "custom zone: any 127.0.0.x answer is read as listed");
    }

    public static bool Applies(BlocklistZone zone, IPAddress ip) =>
        ReverseName.Normalize(ip).AddressFamily == AddressFamily.InterNetwork || zone.SupportsIpv6;

    public Task<CheckResult> RunAsync(IPAddress ip, BlocklistZone zone, CancellationToken cancellationToken) =>
        RunAsync(ip, zone, null, cancellationToken);

    /// <summary>As above, with a Spamhaus DQS key that replaces the configured one (null: the configured one).</summary>
    public Task<CheckResult> RunAsync(IPAddress ip, BlocklistZone zone, string? spamhausDqsKey, CancellationToken cancellationToken) =>
        RunAsync(ip, zone, spamhausDqsKey, null, cancellationToken);

    /// <summary>
    /// As above; with <paramref name="trust"/>, the list's test points are asked first (once per run) and, when they answer wrongly,
    /// the result is Unknown ("the resolver or the list is not answering correctly"), never "not listed" or "listed".
    /// </summary>
    public async Task<CheckResult> RunAsync(IPAddress ip, BlocklistZone zone, string? spamhausDqsKey, DnsTrustRun? trust, CancellationToken cancellationToken)
    {
        var dqsKey = string.IsNullOrWhiteSpace(spamhausDqsKey) ? options.Value.SpamhausDqsKey : spamhausDqsKey;
        var queried = options.Value.EffectiveZone(zone.Zone, zone.IsSpamhaus, dqsKey);
        var health = trust is null ? null : await trust.ListAsync(zone, queried, dqsKey, cancellationToken);
        var result = await LookUpAsync(ip, zone, queried, dqsKey, cancellationToken);
        return health is { Trusted: false }
            ? DnsTrustProbe.Untrusted(result, zone.Name, DnsTrustProbe.ListReason, health.Problem, health.Probes)
            : result;
    }

    private async Task<CheckResult> LookUpAsync(IPAddress ip, BlocklistZone zone, string queried, string? dqsKey, CancellationToken cancellationToken)
    {
        var name = $"{ReverseName.Labels(ip)}.{queried}";
        var answer = await dns.QueryAsync(new DnsQuestion(name, DnsRecordKind.A, queried), cancellationToken);
        var target = ReverseName.Normalize(ip).ToString();
        var displayQuery = string.IsNullOrWhiteSpace(dqsKey) ? name : name.Replace(dqsKey.Trim(), "<dqs-key>", StringComparison.Ordinal);

        if (answer.IsFailure)
        {
            return Result(CheckStatus.Unknown, $"{zone.Name}: lookup failed ({answer.Error}); listing status unknown.", []);
        }

        if (answer.IsEmpty)
        {
            return Result(CheckStatus.Pass, $"Not listed on {zone.Name}.", []);
        }

        var readings = answer.Records.Select(r => Read(zone, r)).ToList();
        var worst = readings.Select(r => r.Status).Aggregate(Worst);
        string? reason = null;
        if (worst is CheckStatus.Fail or CheckStatus.Warn && !zone.IsReputation)
        {
            var txt = await dns.QueryAsync(new DnsQuestion(name, DnsRecordKind.Txt, queried), cancellationToken);
            reason = txt.Records.Count > 0 ? string.Join(" ", txt.Records) : null;
        }

        var meanings = string.Join("; ", readings.Select(r => $"{r.Answer} {r.Meaning}"));
        var summary = worst switch
        {
            CheckStatus.Unknown => $"{zone.Name}: no usable answer ({meanings}).",
            CheckStatus.Pass => $"{zone.Name}: {meanings}.",
            _ => $"Listed on {zone.Name}: {meanings}.{(zone.RemovalUrl.Length > 0 ? $" Removal: {zone.RemovalUrl}" : "")}",
        };
        return Result(worst, summary, readings, reason);

        CheckResult Result(CheckStatus status, string summary, IReadOnlyList<BlocklistReading> readings, string? txtReason = null) =>
            CheckResult.Create(CheckName(zone), target, status, summary,
                new BlocklistEvidence(zone.Zone, zone.Name, displayQuery, answer.Outcome, answer.Records, answer.Error, readings, txtReason,
                    zone.Lists, zone.RemovalUrl, zone.QueryTerms, zone.RequiresRegistration),
                CheckLinks.Dnsbl);
    }

    /// <summary>Reads one A answer with the zone's return codes (and the Spamhaus error range for Spamhaus zones).</summary>
    public static BlocklistReading Read(BlocklistZone zone, string answer)
    {
        if (!IPAddress.TryParse(answer, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return new(answer, "not an IPv4 answer", CheckStatus.Unknown);
        }

        var code = zone.Codes.FirstOrDefault(c => c.Covers(address))
            ?? (zone.IsSpamhaus ? BlocklistCatalogue.SpamhausErrors.FirstOrDefault(c => c.Covers(address)) : null);
        if (code is not null) return new(answer, code.Meaning, code.Status);
        var bytes = address.GetAddressBytes();
        if (zone.IsSpamhaus && bytes[0] == 127 && bytes[1] == 255 && bytes[2] == 255)
        {
            return new(answer, "Spamhaus error code: query not answered", CheckStatus.Unknown);
        }

        if (bytes[0] != 127)
        {
            return new(answer, "answer outside 127.0.0.0/8: not a DNSBL answer (wildcard or hijacking resolver?)", CheckStatus.Unknown);
        }

        return zone.Codes.Count == 0
            ? new(answer, "listed", CheckStatus.Fail)
            : new(answer, "unrecognised return code: probably listed, check the list's site", CheckStatus.Warn);
    }

    /// <summary>Fail beats Warn beats Unknown beats Pass when several answers come back.</summary>
    private static CheckStatus Worst(CheckStatus a, CheckStatus b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(CheckStatus s) => s switch
    {
        CheckStatus.Fail => 3,
        CheckStatus.Warn => 2,
        CheckStatus.Unknown => 1,
        _ => 0,
    };
}

public sealed record BlocklistReading(string Answer, string Meaning, CheckStatus Status);

public sealed record BlocklistEvidence(
    string Zone,
    string Name,
    string Query,
    DnsOutcome Outcome,
    IReadOnlyList<string> Answers,
    string? Error,
    IReadOnlyList<BlocklistReading> Readings,
    string? Reason,
    string Lists,
    string RemovalUrl,
    string QueryTerms,
    bool RequiresRegistration);
