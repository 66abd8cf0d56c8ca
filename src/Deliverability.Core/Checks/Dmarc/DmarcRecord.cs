using System.Globalization;

namespace Deliverability.Core.Checks.Dmarc;

/// <summary>A parsed DMARC record with its problems (errors make it invalid) and notes (RFC 9989 changes, advice).</summary>
public sealed record DmarcRecord(
    IReadOnlyDictionary<string, string> Tags,
    string? Policy,
    string? SubdomainPolicy,
    string? NonExistentPolicy,
    IReadOnlyList<string> AggregateReportUris,
    IReadOnlyList<string> FailureReportUris,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Notes)
{
    public bool IsValid => Errors.Count == 0;

    public bool StrictDkim => Tags.TryGetValue("adkim", out var v) && v == "s";

    public bool StrictSpf => Tags.TryGetValue("aspf", out var v) && v == "s";
}

/// <summary>Parses and validates DMARC records (RFC 7489 section 6.3 tags, with RFC 9989's np, psd and t).</summary>
public static class DmarcRecordParser
{
    private static readonly HashSet<string> Policies = ["none", "quarantine", "reject"];
    private static readonly string[] RemovedByRfc9989 = ["pct", "ri", "rf"];
    private static readonly HashSet<string> KnownTags = ["v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "pct", "fo", "ri", "rf", "t", "psd"];

    public static bool IsDmarcRecord(string txt) => txt.StartsWith("v=DMARC1", StringComparison.Ordinal)
        && (txt.Length == 8 || txt[8..].TrimStart().StartsWith(';'));

    public static DmarcRecord Parse(string text)
    {
        var errors = new List<string>();
        var notes = new List<string>();
        var (list, error) = TagList.Parse(text);
        if (error is not null) errors.Add(error);
        var tags = list.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);

        if (list.Count == 0 || list[0].Key != "v" || list[0].Value != "DMARC1") errors.Add("v=DMARC1 must be the first tag");
        var rua = Uris(tags, "rua", errors);
        var ruf = Uris(tags, "ruf", errors);

        string? policy = null;
        if (tags.TryGetValue("p", out var p))
        {
            if (Policies.Contains(p.ToLowerInvariant())) policy = p.ToLowerInvariant();
            else errors.Add($"p={p} is not none, quarantine or reject");
        }
        else if (rua.Count > 0)
        {
            policy = "none";
            notes.Add("no p= tag: RFC 9989 treats a record with a valid rua as p=none (RFC 7489 called it invalid)");
        }
        else
        {
            errors.Add("required tag p= is missing");
        }

        var sp = PolicyTag(tags, "sp", errors);
        var np = PolicyTag(tags, "np", errors);
        foreach (var tag in new[] { "adkim", "aspf" })
        {
            if (tags.TryGetValue(tag, out var v) && v is not ("r" or "s")) errors.Add($"{tag}={v} must be r or s");
        }

        if (tags.TryGetValue("pct", out var pct))
        {
            if (!int.TryParse(pct, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100) errors.Add($"pct={pct} must be 0-100");
            else if (n < 100) notes.Add($"pct={n}: the policy applies to only {n}% of failing mail");
        }

        if (tags.TryGetValue("ri", out var ri) && !uint.TryParse(ri, NumberStyles.None, CultureInfo.InvariantCulture, out _)) errors.Add($"ri={ri} must be a number of seconds");
        if (tags.TryGetValue("fo", out var fo) && fo.Split(':', StringSplitOptions.TrimEntries).Any(f => f is not ("0" or "1" or "d" or "s"))) errors.Add($"fo={fo} must be 0, 1, d or s (colon-separated)");
        if (tags.TryGetValue("t", out var t) && t is not ("y" or "n")) errors.Add($"t={t} must be y or n");
        if (tags.TryGetValue("psd", out var psd) && psd is not ("y" or "n" or "u")) errors.Add($"psd={psd} must be y, n or u");
        if (tags.TryGetValue("rf", out var rf) && rf.Split(':', StringSplitOptions.TrimEntries).Any(f => f is not ("afrf" or "iodef"))) errors.Add($"rf={rf} is not afrf");

        var removed = RemovedByRfc9989.Where(tags.ContainsKey).ToList();
        if (removed.Count > 0)
        {
            notes.Add($"{string.Join(", ", removed)}: removed by RFC 9989 (DMARCbis); receivers may ignore them. Use t=y instead of pct<100 for testing.");
        }

        if (t == "y") notes.Add("t=y (RFC 9989 testing): receivers apply the policy one level below p");
        var unknown = tags.Keys.Where(k => !KnownTags.Contains(k)).ToList();
        if (unknown.Count > 0) notes.Add($"unknown tags ignored: {string.Join(", ", unknown)}");
        if (rua.Count == 0 && policy is not null) notes.Add("no rua=: you receive no aggregate reports (Outlook.com sends them)");

        return new DmarcRecord(tags, policy, sp, np, rua, ruf, errors, notes);
    }

    private static string? PolicyTag(Dictionary<string, string> tags, string name, List<string> errors)
    {
        if (!tags.TryGetValue(name, out var value)) return null;
        if (Policies.Contains(value.ToLowerInvariant())) return value.ToLowerInvariant();
        errors.Add($"{name}={value} is not none, quarantine or reject");
        return null;
    }

    private static List<string> Uris(Dictionary<string, string> tags, string name, List<string> errors)
    {
        if (!tags.TryGetValue(name, out var value) || value.Length == 0) return [];
        var uris = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var uri in uris)
        {
            var bare = uri.Split('!')[0];
            if (!Uri.TryCreate(bare, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("mailto" or "https" or "http"))
            {
                errors.Add($"{name} entry '{uri}' is not a mailto: URI");
            }
        }

        return uris;
    }
}
