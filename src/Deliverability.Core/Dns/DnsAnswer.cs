using System.Text.Json.Serialization;

namespace Deliverability.Core.Dns;

/// <summary>The record types the checks ask for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DnsRecordKind>))]
public enum DnsRecordKind
{
    A,
    Aaaa,
    Mx,
    Txt,
    Ptr,
}

/// <summary>
/// How a lookup ended. <see cref="NxDomain"/> and <see cref="NoData"/> are definitive "no" answers;
/// <see cref="Failed"/> (timeout, SERVFAIL, REFUSED, network error) means nothing is known.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DnsOutcome>))]
public enum DnsOutcome
{
    Found,
    [JsonStringEnumMemberName("nxdomain")]
    NxDomain,
    [JsonStringEnumMemberName("nodata")]
    NoData,
    Failed,
}

/// <summary>One question to the resolver. <paramref name="Zone"/> groups queries for concurrency and rate limits (a blocklist zone, say); when null the last two labels of the name are used.</summary>
public sealed record DnsQuestion(string Name, DnsRecordKind Kind, string? Zone = null);

/// <summary>
/// The answer to one question. <see cref="Records"/> holds the data in presentation form:
/// addresses for A/AAAA, host names without the trailing dot for MX (ordered by preference) and PTR,
/// and the joined character-strings of each TXT record (strings over 255 characters arrive split; they are concatenated).
/// </summary>
public sealed record DnsAnswer(
    string Name,
    DnsRecordKind Kind,
    DnsOutcome Outcome,
    IReadOnlyList<string> Records,
    string? Error = null,
    int TtlSeconds = 0)
{
    public bool IsFailure => Outcome == DnsOutcome.Failed;

    /// <summary>NXDOMAIN or an empty NOERROR answer: a definitive "nothing here" (an SPF "void lookup").</summary>
    public bool IsEmpty => Outcome is DnsOutcome.NxDomain or DnsOutcome.NoData;

    public static DnsAnswer Found(string name, DnsRecordKind kind, IReadOnlyList<string> records, int ttlSeconds = 300) =>
        new(name, kind, DnsOutcome.Found, records, null, ttlSeconds);

    public static DnsAnswer NxDomain(string name, DnsRecordKind kind, int ttlSeconds = 60) =>
        new(name, kind, DnsOutcome.NxDomain, [], null, ttlSeconds);

    public static DnsAnswer NoData(string name, DnsRecordKind kind, int ttlSeconds = 60) =>
        new(name, kind, DnsOutcome.NoData, [], null, ttlSeconds);

    public static DnsAnswer Failed(string name, DnsRecordKind kind, string error) =>
        new(name, kind, DnsOutcome.Failed, [], error, 0);

    /// <summary>Short text for evidence: the records, "NXDOMAIN", "no records" or the error.</summary>
    public string Describe() => Outcome switch
    {
        DnsOutcome.Found => string.Join(", ", Records),
        DnsOutcome.NxDomain => "NXDOMAIN",
        DnsOutcome.NoData => "no records",
        _ => $"lookup failed: {Error}",
    };
}
