using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>
/// What every cause family of <see cref="RemediationRules.Plan"/> reads: the evidence, its provider codes with their catalogue
/// meaning, and how evidence lines are worded and linked.
/// </summary>
internal sealed class CauseContext
{
    public CauseContext(IpEvidence evidence)
    {
        Evidence = evidence;
        Codes = evidence.Codes.Select(c => new KnownCode(c, ProviderCodeCatalog.Find(c.Provider, c.Code))).ToList();
    }

    public IpEvidence Evidence { get; }

    /// <summary>The provider codes seen, each with what the catalogue knows of it (null when it does not).</summary>
    public IReadOnlyList<KnownCode> Codes { get; }

    /// <summary>The first day evidence counts from (<see cref="RemediationRules.EvidenceDays"/> before now).</summary>
    public DateTimeOffset Since => Evidence.Now.AddDays(-RemediationRules.EvidenceDays);

    /// <summary>A link to a section of the IP's page.</summary>
    public string Link(string anchor) => $"/ips/{Evidence.SendingIpId}{anchor}";

    /// <summary>A link to the upload a piece of evidence came from, if any.</summary>
    public static string? Upload(long? batchId) => batchId is { } id ? $"/uploads/{id}" : null;

    public RemediationEvidence CodeEvidence(KnownCode c) =>
        new($"{SeenAs(c.Sighting)} with {c.Sighting.Code} from {IpVerdict.ProviderName(c.Sighting.Provider)}" +
            (c.Known is null ? "" : $": {c.Known.Meaning}"),
            c.Sighting.FromLog ? Link(RemediationRules.ActivityLink) : Upload(c.Sighting.LatestBatchId) ?? Link(RemediationRules.BouncesLink), c.Sighting.Last);

    /// <summary>Evidence lines for the codes that match, newest first.</summary>
    public List<RemediationEvidence> CodesWhere(Func<KnownCode, bool> predicate) =>
        Codes.Where(predicate).OrderByDescending(c => c.Sighting.Last).ThenBy(c => c.Sighting.Code, StringComparer.Ordinal).Select(CodeEvidence).ToList();

    /// <summary>Whether the code (the catalogue's spelling when known) is one of <paramref name="set"/>.</summary>
    public static bool CodeIn(KnownCode c, string[] set) => set.Contains(c.Known?.Code ?? c.Sighting.Code, StringComparer.OrdinalIgnoreCase);

    public static DateTimeOffset DayStart(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>"36 logged replies", "2 bounces" or "37 refusals (36 in MTA logs)".</summary>
    private static string SeenAs(CodeSighting s) =>
        s.InLogs == s.Count ? Count(s.Count, "logged reply", "logged replies")
        : s.InLogs == 0 ? Count(s.Count, "bounce")
        : $"{Count(s.Count, "refusal")} ({s.InLogs} in MTA logs)";

    public static string Count(int n, string noun, string? plural = null) => n == 1 ? $"1 {noun}" : $"{n} {plural ?? noun + "s"}";
}

/// <summary>A provider code seen for the IP and what <see cref="ProviderCodeCatalog"/> knows of it.</summary>
internal readonly record struct KnownCode(CodeSighting Sighting, ProviderCode? Known);
