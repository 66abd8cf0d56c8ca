using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Deliverability.Core.Checks;

/// <summary>Outcome of one check. Unknown means the check could not be completed (DNS failure, refused query): never read it as pass or listed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
    Unknown,
}

/// <summary>
/// One check of one target, e.g. ("spf", "example.com") or ("blocklist:zen.spamhaus.org", "192.0.2.10").
/// Serialises to snake_case JSON (<see cref="CheckJson.Options"/>) for a jsonb column; two results describe the same thing
/// when <see cref="Key"/> is equal, and <see cref="StatusChangedFrom"/> says whether a later run differs.
/// </summary>
public sealed record CheckResult(
    string Check,
    string Target,
    CheckStatus Status,
    string Summary,
    JsonObject Details,
    string? Link = null)
{
    /// <summary>"check|target", lower case: the identity used to compare runs.</summary>
    [JsonIgnore]
    public string Key => $"{Check}|{Target}".ToLowerInvariant();

    public bool StatusChangedFrom(CheckResult previous) =>
        !string.Equals(Key, previous.Key, StringComparison.Ordinal)
            ? throw new ArgumentException($"Cannot compare {Key} with {previous.Key}.", nameof(previous))
            : Status != previous.Status;

    /// <summary>The details read back as the evidence record the check wrote (null when they are not of that shape).</summary>
    public TEvidence? EvidenceAs<TEvidence>() where TEvidence : class
    {
        try
        {
            return Details.Deserialize<TEvidence>(CheckJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Builds a result whose details are <paramref name="evidence"/> serialised with <see cref="CheckJson.Options"/>.</summary>
    public static CheckResult Create<TEvidence>(string check, string target, CheckStatus status, string summary, TEvidence evidence, string? link = null) =>
        new(check, target, status, summary, CheckJson.ToObject(evidence), link);
}

/// <summary>The JSON shape of check results and their evidence: snake_case names, enums as lower-case strings, nulls left out.</summary>
public static class CheckJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Output goes to a jsonb column and a terminal, never raw into HTML: keep '+', '<' and non-ASCII readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static JsonObject ToObject<T>(T evidence) =>
        evidence is JsonObject obj ? obj
        : JsonSerializer.SerializeToNode(evidence, Options) as JsonObject ?? [];

    public static string Serialize(CheckResult result) => JsonSerializer.Serialize(result, Options);

    public static CheckResult? Deserialize(string json) => JsonSerializer.Deserialize<CheckResult>(json, Options);
}

/// <summary>Links that explain why a check matters, shown next to each result.</summary>
public static class CheckLinks
{
    public const string Spf = "https://www.rfc-editor.org/rfc/rfc7208";
    public const string Dkim = "https://www.rfc-editor.org/rfc/rfc8301";
    public const string Dmarc = "https://www.rfc-editor.org/rfc/rfc9989";
    public const string ReverseDns = "https://learn.microsoft.com/en-us/defender-office-365/email-authentication-about";
    public const string OutlookHighVolume = "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730";
    public const string Mx = "https://www.rfc-editor.org/rfc/rfc5321#section-5.1";
    public const string SenderScore = "https://www.senderscore.org/";
    public const string Dnsbl = "https://www.rfc-editor.org/rfc/rfc5782";
}
