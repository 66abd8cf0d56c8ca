using System.IO.Compression;
using System.Text;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Delisting;

/// <summary>A target a case can be opened for, with why it is offered.</summary>
public sealed record DelistingTargetChoice(string Target, string Name, string? Reason);

/// <summary>The targets to offer when opening a case for an IP, and the one to pre-select (the provider blocking it).</summary>
public sealed record DelistingTargetChoices(IReadOnlyList<DelistingTargetChoice> Targets, string? Suggested);

/// <summary>Everything the case page shows: the case with steps and audit, the evidence, and each fact step's claim judged against it.</summary>
public sealed record DelistingCaseDetails(
    DelistingCase Case,
    string IpAddress,
    DelistingProcess Process,
    DelistingEvidence Evidence,
    IReadOnlyDictionary<DelistingStepKind, DelistingClaim> Claims,
    string RequestText,
    string? EscalationText,
    IReadOnlyList<DelistingDeadline> Deadlines)
{
    /// <summary>
    /// Moves with every change the case records (each adds an audit event), not with a refused change or fresher evidence: a form
    /// keeps what the user typed until the case itself has moved on.
    /// </summary>
    public (long CaseId, int Changes) Revision => (Case.Id, Case.Events.Count);

    public IReadOnlyList<OpenRemediationItem> OpenItems => Evidence.OpenItems;

    public IReadOnlyList<string> Fixes => Evidence.Fixes;

    public int? SenderScore => Evidence.SenderScore;

    public DelistingCheckLine? SenderScoreCheck => Evidence.SenderScoreCheck;

    public IReadOnlyList<DelistingCheckLine> AuthenticationChecks => Evidence.AuthenticationChecks;

    public DelistingCheckLine? ListCheck => Evidence.ListCheck;

    /// <summary>What copying the request should warn about: open checklist items, claims the evidence does not verify. Empty: nothing.</summary>
    public IReadOnlyList<string> RequestWarnings => DelistingRequestText.Warnings(Case, Evidence);
}

/// <summary>What the delisting pages show: the targets to offer for an IP, and one case with its evidence, claims and texts.</summary>
public sealed class DelistingCaseReader(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    /// <summary>
    /// The providers (every one has a process) and the blocklists whose latest check lists the IP; the suggestion is the provider
    /// the IP status names as blocking, else the provider of the newest block bounce.
    /// </summary>
    public async Task<DelistingTargetChoices> TargetChoicesAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var blockedBy = await db.IpStatus.AsNoTracking().Where(s => s.SendingIpId == sendingIpId).Select(s => s.BlockedBy).FirstOrDefaultAsync(ct);
        var newestProvider = await db.Bounces.AsNoTracking()
            .Where(b => b.SendingIpId == sendingIpId && b.Kind == BounceKind.Bounce && b.Provider != null && (b.Reason == BounceReasons.Blocked || b.ProviderCode != null)
                && DelistingProcesses.ProviderTargets.Contains(b.Provider))
            .OrderByDescending(b => b.OccurredAt).Select(b => b.Provider).FirstOrDefaultAsync(ct);
        var choices = DelistingProcesses.ProviderTargets.Select(t => new DelistingTargetChoice(t, DelistingProcesses.TargetName(t),
            t == blockedBy ? "blocking the IP" : t == newestProvider ? "newest block bounce" : null)).ToList();
        foreach (var listed in (await LatestCheckResults.ReadAsync(db, sendingIpId, ct)).Results
                     .Where(c => DelistingProcesses.IsBlocklist(c.Check) && c.Status is CheckStatus.Fail or CheckStatus.Warn)
                     .OrderBy(c => c.Check, StringComparer.Ordinal))
        {
            if (DelistingProcesses.For(listed.Check) is { } process)
            {
                choices.Add(new DelistingTargetChoice(process.Target, process.Name, "latest check lists the IP"));
            }
        }

        var suggested = blockedBy is not null && DelistingProcesses.For(blockedBy) is not null ? blockedBy
            : newestProvider ?? choices.FirstOrDefault(c => DelistingProcesses.IsBlocklist(c.Target))?.Target;
        return new DelistingTargetChoices(choices, suggested);
    }

    /// <summary>The case with its steps, audit, the evidence its steps show and their claims judged, or null.</summary>
    public async Task<DelistingCaseDetails?> LoadAsync(long caseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await db.DelistingCases.AsNoTracking().Include(c => c.Steps).Include(c => c.Events)
            .AsSplitQuery().FirstOrDefaultAsync(c => c.Id == caseId, ct);
        if (delistingCase is null || DelistingProcesses.For(delistingCase.Target) is not { } process)
        {
            return null;
        }

        delistingCase.Steps = [.. delistingCase.Steps.OrderBy(s => s.Position)];
        delistingCase.Events = [.. delistingCase.Events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)];
        var address = (await db.SendingIps.AsNoTracking().Where(x => x.Id == delistingCase.SendingIpId).Select(x => x.Address).FirstAsync(ct)).ToString();
        var evidence = await ReadEvidenceAsync(db, delistingCase, ct);
        var claims = delistingCase.Steps.Select(s => DelistingClaims.Judge(s.Kind, evidence)).OfType<DelistingClaim>()
            .DistinctBy(c => c.Kind).ToDictionary(c => c.Kind);
        var block = await NewestBlockAsync(db, delistingCase, ct);
        var request = DelistingRequestText.Request(address, process, delistingCase, block, evidence);
        var escalation = process.HasStep(DelistingStepKind.Escalation) && delistingCase.DecisionPositive == false
            ? DelistingRequestText.Escalation(address, process, delistingCase, evidence)
            : null;
        return new DelistingCaseDetails(delistingCase, address, process, evidence, claims, request, escalation, DelistingDeadline.Of(delistingCase));
    }

    /// <summary>The evidence the case's steps and texts are judged from: the remediation checklist, the latest check run, SNDS data.</summary>
    internal static async Task<DelistingEvidence> ReadEvidenceAsync(DeliverabilityDbContext db, DelistingCase delistingCase, CancellationToken ct)
    {
        var ipId = delistingCase.SendingIpId;
        var items = await db.RemediationItems.AsNoTracking().Where(x => x.SendingIpId == ipId)
            .OrderBy(x => x.Position).Select(x => new { x.Title, x.Action, x.Done }).ToListAsync(ct);
        var (runAt, results) = await LatestCheckResults.ReadAsync(db, ipId, ct);
        var lines = results.Select(r => (Line: new DelistingCheckLine(r.Check, r.Target, r.Status, r.Summary, r.CheckedAt), r.Details)).ToList();
        var senderScore = lines.FirstOrDefault(c => c.Line.Check == SenderScoreCheck.Name);
        var authentication = lines.Select(c => c.Line).Where(c => DelistingClaims.IsAuthenticationCheck(c.Check))
            .OrderBy(c => DelistingClaims.AuthenticationOrder(c.Check)).ThenBy(c => c.Target, StringComparer.Ordinal).ToList();
        var sndsDays = await db.SndsDays.CountAsync(d => d.SendingIpId == ipId, ct);
        return new DelistingEvidence(
            items.Where(x => !x.Done).Select(x => new OpenRemediationItem(x.Title, x.Action)).ToList(),
            items.Where(x => x.Done).Select(x => x.Title).ToList(),
            runAt,
            authentication,
            senderScore.Line,
            senderScore.Details is null ? null : SenderScoreCheck.StoredScore(senderScore.Details),
            lines.Select(c => c.Line).FirstOrDefault(c => c.Check == delistingCase.Target),
            sndsDays);
    }

    private static async Task<BlockEvidence?> NewestBlockAsync(DeliverabilityDbContext db, DelistingCase delistingCase, CancellationToken ct)
    {
        if (DelistingProcesses.IsBlocklist(delistingCase.Target))
        {
            return null;
        }

        var newest = await DelistingBlockFacts.BlockBounces(db, delistingCase.SendingIpId, delistingCase.Target).OrderByDescending(b => b.OccurredAt)
            .Select(b => new { b.ProviderCode, b.Status, b.Diagnostic, b.OccurredAt, b.RawMessageId }).FirstOrDefaultAsync(ct);
        if (newest is null)
        {
            return null;
        }

        var gzip = await db.RawMessages.AsNoTracking().Where(m => m.Id == newest.RawMessageId).Select(m => m.Gzip).FirstOrDefaultAsync(ct);
        return new BlockEvidence(newest.ProviderCode ?? newest.Status, newest.Diagnostic, newest.OccurredAt, gzip is null ? null : Decompress(gzip));
    }

    private static string Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        var buffer = new byte[(DelistingRequestText.MaxMessageChars * 2) + 1024];
        var read = 0;
        int n;
        // Only the beginning is shown; reading a few kilobytes avoids inflating a large attachment in full.
        while (read < buffer.Length && (n = input.Read(buffer, read, buffer.Length - read)) > 0)
        {
            read += n;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return read == buffer.Length ? text + "\n[... the rest of the message is not shown]" : text;
    }
}
