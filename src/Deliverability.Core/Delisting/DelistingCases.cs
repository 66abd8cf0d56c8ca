using Deliverability.Core.Remediation;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Delisting;

/// <summary>A change to a case that cannot be made as asked; the message tells the user what to do.</summary>
public sealed class DelistingCaseException(string message) : Exception(message);

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
    public IReadOnlyList<OpenRemediationItem> OpenItems => Evidence.OpenItems;

    public IReadOnlyList<string> Fixes => Evidence.Fixes;

    public int? SenderScore => Evidence.SenderScore;

    public DelistingCheckLine? SenderScoreCheck => Evidence.SenderScoreCheck;

    public IReadOnlyList<DelistingCheckLine> AuthenticationChecks => Evidence.AuthenticationChecks;

    public DelistingCheckLine? ListCheck => Evidence.ListCheck;

    /// <summary>What copying the request should warn about: open checklist items, claims the evidence does not verify. Empty: nothing.</summary>
    public IReadOnlyList<string> RequestWarnings => DelistingRequestText.Warnings(Case, Evidence);
}

/// <summary>
/// Guided delisting cases: opening, moving through the steps of the target's process, recording the provider's answers,
/// resolving and reopening. The rules of each change live on <see cref="DelistingCase"/>; this class loads, judges the
/// evidence, saves, and keeps the IP's open-case count. Every change writes an audit event.
/// </summary>
public sealed class DelistingCases(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock, IpDiagnosisRequests diagnosis)
{
    public const string SystemUser = "system";

    /// <summary>Opens a case for the IP and target, or returns the unresolved one that already exists.</summary>
    public async Task<DelistingCase> OpenAsync(long sendingIpId, string target, string user, CancellationToken ct)
    {
        var process = DelistingProcesses.For(target) ?? throw new DelistingCaseException($"There is no delisting process for \"{target}\".");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await FindUnresolvedAsync(db, sendingIpId, target, ct) is { } existing)
        {
            return existing;
        }

        if (!await db.SendingIps.AnyAsync(x => x.Id == sendingIpId, ct))
        {
            throw new DelistingCaseException($"There is no sending IP #{sendingIpId}.");
        }

        var now = clock.GetUtcNow();
        var delistingCase = new DelistingCase
        {
            SendingIpId = sendingIpId,
            Target = target,
            State = DelistingCaseState.Open,
            OpenedAt = now,
            OpenedBy = user,
        };
        var firstNote = await PrefillBlockAsync(db, delistingCase, now, ct);
        delistingCase.Steps = process.Steps.Select((s, i) => new DelistingStep
        {
            Position = i + 1,
            Key = s.Key,
            Kind = s.Kind,
            Title = s.Title,
            State = DelistingStepState.Pending,
            Note = i == 0 ? firstNote : null,
        }).ToList();
        delistingCase.Advance();
        delistingCase.AddEvent(now, user, $"opened the case ({process.Name}){(firstNote is null ? "" : $": {firstNote}")}");
        db.DelistingCases.Add(delistingCase);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone opened the same case a moment earlier (the unique index refused ours): theirs is the one.
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            return await FindUnresolvedAsync(fresh, sendingIpId, target, ct) ?? throw new DelistingCaseException("The case could not be saved; try again.");
        }

        await UpdateOpenCaseCountAsync(db, sendingIpId, ct);
        // The IP's next step changes once a case is open ("... then open a delisting case" no longer applies).
        await diagnosis.RefreshAsync([sendingIpId], ct);
        return delistingCase;
    }

    /// <summary>
    /// Marks the current step done. A step that asserts a fact completes only when the evidence verifies it (else use
    /// <see cref="OverrideStepAsync"/>); moving past "fix the causes" with open items needs <paramref name="confirmOpenItems"/>
    /// and is recorded as overridden.
    /// </summary>
    public async Task CompleteStepAsync(long caseId, string stepKey, string? note, bool confirmOpenItems, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        var step = delistingCase.CurrentStepForChange(stepKey);
        var what = $"completed \"{step.Title}\"";
        var state = DelistingStepState.Done;
        string? overrideReason = null;
        string? evidenceNote = null;
        switch (step.Kind)
        {
            case DelistingStepKind.Submission:
                throw new DelistingCaseException("Record the submission with its date (and ticket number) instead.");
            case DelistingStepKind.TrackReplies:
                throw new DelistingCaseException("Record the provider's decision to finish this step.");
            case DelistingStepKind.Outcome:
                throw new DelistingCaseException("Choose the outcome to finish this step.");
            case DelistingStepKind.FixCauses:
                var open = await db.RemediationItems.CountAsync(x => x.SendingIpId == delistingCase.SendingIpId && !x.Done, ct);
                if (open > 0 && !confirmOpenItems)
                {
                    throw new DelistingCaseException(
                        $"{open} remediation item{(open == 1 ? " is" : "s are")} still open. Fix them first, or confirm that you want to move on anyway.");
                }

                if (open > 0)
                {
                    var items = $"{open} remediation item{(open == 1 ? "" : "s")} still open (confirmed)";
                    state = DelistingStepState.Overridden;
                    overrideReason = $"moved on with {items}";
                    what += $" with {items}";
                }

                break;
            case var kind when DelistingClaims.IsClaim(kind):
                var claim = DelistingClaims.Judge(kind, await ReadEvidenceAsync(db, delistingCase, ct))!;
                if (!claim.IsVerified)
                {
                    throw new DelistingCaseException($"Not verified: {claim.Evidence} Fix it and run the checks again, or override with a reason.");
                }

                evidenceNote = claim.Evidence;
                what += $" (verified: {claim.Evidence.TrimEnd('.')})";
                break;
        }

        delistingCase.Finish(step, state, clock.GetUtcNow(), user, evidenceNote is null ? note : $"{evidenceNote}{NoteSuffix(note, " ")}",
            what + NoteSuffix(note), overrideReason);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Marks a step that asserts a fact as done although the evidence does not verify it. Records who, when, why and the
    /// evidence at that moment; the step shows as overridden and the request text names it.
    /// </summary>
    public async Task OverrideStepAsync(long caseId, string stepKey, string reason, string user, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DelistingCaseException("Say why you mark the step done although the evidence does not confirm it.");
        }

        var why = reason.Trim();
        if (why.Length > 1000)
        {
            throw new DelistingCaseException("The reason is too long (at most 1000 characters).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        var step = delistingCase.CurrentStepForChange(stepKey);
        if (!step.AssertsAFact)
        {
            throw new DelistingCaseException($"\"{step.Title}\" asserts nothing the evidence could confirm: complete it instead.");
        }

        var claim = DelistingClaims.Judge(step.Kind, await ReadEvidenceAsync(db, delistingCase, ct))!;
        if (claim.IsVerified)
        {
            throw new DelistingCaseException("The evidence confirms this step: complete it instead.");
        }

        delistingCase.Finish(step, DelistingStepState.Overridden, clock.GetUtcNow(), user, $"Evidence at the time: {claim.Evidence}",
            $"overrode \"{step.Title}\": {why} (evidence: {claim.Evidence.TrimEnd('.')})", why);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Skips the current step (not the outcome, nor a submission that needs a ticket).</summary>
    public async Task SkipStepAsync(long caseId, string stepKey, string? note, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        var step = delistingCase.CurrentStepForChange(stepKey);
        if (!DelistingCase.CanSkip(step, ProcessOf(delistingCase)))
        {
            throw new DelistingCaseException($"\"{step.Title}\" cannot be skipped.");
        }

        delistingCase.Finish(step, DelistingStepState.Skipped, clock.GetUtcNow(), user, note, $"skipped \"{step.Title}\"{NoteSuffix(note)}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Sets the last finished step back to pending (the submission's and answers' recorded times are kept).</summary>
    public async Task UndoStepAsync(long caseId, string stepKey, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        delistingCase.Undo(stepKey, clock.GetUtcNow(), user);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records when the request was sent (between the opening and now) and the ticket number; the case becomes Submitted.</summary>
    public async Task RecordSubmissionAsync(long caseId, DateTimeOffset submittedAt, string? ticketNumber, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        delistingCase.RecordSubmission(ProcessOf(delistingCase), submittedAt, ticketNumber, clock.GetUtcNow(), user);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records the provider's answers (times between the submission and now); a decision finishes the tracking step.</summary>
    public async Task RecordRepliesAsync(long caseId, DateTimeOffset? firstReplyAt, DateTimeOffset? decisionAt, bool? positive, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        delistingCase.RecordReplies(ProcessOf(delistingCase), firstReplyAt, decisionAt, positive, clock.GetUtcNow(), user);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records the outcome: the case is resolved, any steps still pending are skipped.</summary>
    public async Task RecordOutcomeAsync(long caseId, DelistingOutcome outcome, string? note, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        delistingCase.Resolve(outcome, note, clock.GetUtcNow(), user);
        await db.SaveChangesAsync(ct);
        await UpdateOpenCaseCountAsync(db, delistingCase.SendingIpId, ct);
        // The IP's status follows the outcome: an unblocked case ends the block episode.
        await diagnosis.RefreshAsync([delistingCase.SendingIpId], ct);
    }

    /// <summary>
    /// Reopens the newest case for the IP and target that was resolved Unblocked before <paramref name="blockAt"/>: the IP is
    /// blocked again. Steps from "fix the causes" on are pending again, and the submission and answers are cleared (they stay in
    /// the audit). Returns the case id, or null when there is nothing to reopen (no such case, or an unresolved one exists).
    /// </summary>
    public async Task<long?> ReopenIfBlockedAgainAsync(long sendingIpId, string target, DateTimeOffset blockAt, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.DelistingCases.AnyAsync(c => c.SendingIpId == sendingIpId && c.Target == target && c.State != DelistingCaseState.Resolved, ct))
        {
            return null;
        }

        var delistingCase = await db.DelistingCases.Include(c => c.Steps)
            .Where(c => c.SendingIpId == sendingIpId && c.Target == target && c.State == DelistingCaseState.Resolved)
            .OrderByDescending(c => c.ResolvedAt).FirstOrDefaultAsync(ct);
        if (delistingCase is not { Outcome: DelistingOutcome.Unblocked } || delistingCase.ResolvedAt >= blockAt)
        {
            return null;
        }

        var previous = $"unblocked {DelistingRequestText.Format(delistingCase.ResolvedAt!.Value)}{(delistingCase.TicketNumber is null ? "" : $", ticket {delistingCase.TicketNumber}")}";
        var fixPosition = delistingCase.StepOf(DelistingStepKind.FixCauses)?.Position ?? 1;
        foreach (var step in delistingCase.Steps.Where(s => s.Position >= fixPosition))
        {
            step.Reset(clearNote: true);
        }

        var now = clock.GetUtcNow();
        delistingCase.State = DelistingCaseState.Open;
        delistingCase.Outcome = null;
        delistingCase.ResolvedAt = null;
        delistingCase.SubmittedAt = null;
        delistingCase.TicketNumber = null;
        delistingCase.FirstReplyAt = null;
        delistingCase.DecisionAt = null;
        delistingCase.DecisionPositive = null;
        delistingCase.FirstReplyDueAt = null;
        delistingCase.DecisionDueAt = null;
        delistingCase.UnblockDueAt = null;
        delistingCase.ReopenCount++;
        delistingCase.ReopenedAt = now;
        delistingCase.Advance();
        delistingCase.AddEvent(now, SystemUser, $"reopened: new block at {DelistingRequestText.Format(blockAt)} (previously {previous})");
        await db.SaveChangesAsync(ct);
        await UpdateOpenCaseCountAsync(db, sendingIpId, ct);
        return delistingCase.Id;
    }

    /// <summary>
    /// The providers (every one has a process) and the blocklists whose latest check lists the IP; the suggestion is the provider
    /// the IP status names as blocking, else the provider of the newest block bounce.
    /// </summary>
    public async Task<DelistingTargetChoices> TargetChoicesAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var blockedBy = await db.IpStatus.AsNoTracking().Where(s => s.SendingIpId == sendingIpId).Select(s => s.BlockedBy).FirstOrDefaultAsync(ct);
        var newestProvider = await db.Bounces.AsNoTracking()
            .Where(b => b.SendingIpId == sendingIpId && b.Kind == BounceKind.Bounce && b.Provider != null && (b.Reason == "blocked" || b.ProviderCode != null)
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
    private static async Task<DelistingEvidence> ReadEvidenceAsync(DeliverabilityDbContext db, DelistingCase delistingCase, CancellationToken ct)
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

    private static async Task<DelistingCase?> FindUnresolvedAsync(DeliverabilityDbContext db, long sendingIpId, string target, CancellationToken ct) =>
        await db.DelistingCases.AsNoTracking()
            .FirstOrDefaultAsync(c => c.SendingIpId == sendingIpId && c.Target == target && c.State != DelistingCaseState.Resolved, ct);

    /// <summary>Fills the case's first block time and codes; returns the note of the first step.</summary>
    private static async Task<string?> PrefillBlockAsync(DeliverabilityDbContext db, DelistingCase delistingCase, DateTimeOffset now, CancellationToken ct)
    {
        if (DelistingProcesses.IsBlocklist(delistingCase.Target))
        {
            var check = (await LatestCheckResults.ReadAsync(db, delistingCase.SendingIpId, ct)).Results.FirstOrDefault(c => c.Check == delistingCase.Target);
            if (check is null)
            {
                return "The list has not been checked for this IP yet.";
            }

            var answers = JsonNode.Parse(check.Details)?["readings"] is JsonArray readings
                ? string.Join(", ", readings.Select(r => r?["answer"]?.GetValue<string>()).OfType<string>())
                : "";
            delistingCase.BlockCodes = answers.Length == 0 ? null : answers;
            delistingCase.FirstBlockAt = check.Status is CheckStatus.Fail or CheckStatus.Warn ? check.CheckedAt : null;
            return check.Summary;
        }

        var codes = await BlockBounceCodesAsync(db, delistingCase.SendingIpId, delistingCase.Target, ct);
        // The first block is the IP status's: the earliest block evidence of the episode, log lines and bounces alike.
        var first = await Remediation.IpEvidenceReader.FirstBlockAsync(db, delistingCase.SendingIpId, delistingCase.Target, now, ct);
        if (first is not null)
        {
            delistingCase.FirstBlockAt = first.Since;
            delistingCase.BlockCodes = first.Code == first.FirstCode ? first.Code : $"{first.FirstCode}, {first.Code}";
            var seen = first.FirstSource == Remediation.EvidenceSource.LogLine ? "log line" : "bounce";
            return $"First block {DelistingRequestText.Format(first.Since)} ({first.FirstCode}, {seen})" +
                (codes.Count == 0 ? "" : "; bounces: " + string.Join(", ", codes.OrderBy(c => c.First).Select(c => $"{c.Code ?? "no code"} ({c.Count} bounce{(c.Count == 1 ? "" : "s")})")));
        }

        if (codes.Count == 0)
        {
            return "No block bounce from this provider for the IP yet: upload the bounces you got back.";
        }

        delistingCase.FirstBlockAt = codes[0].First;
        delistingCase.BlockCodes = string.Join(", ", codes.Select(c => c.Code ?? "no code"));
        return $"First block {DelistingRequestText.Format(codes[0].First)}; codes "
            + string.Join(", ", codes.Select(c => $"{c.Code ?? "no code"} ({c.Count} bounce{(c.Count == 1 ? "" : "s")})"));
    }

    private sealed record BlockCode(string? Code, int Count, DateTimeOffset First);

    /// <summary>The provider's block codes in the IP's bounces, earliest first (the first block itself comes from the evidence reader).</summary>
    private static async Task<List<BlockCode>> BlockBounceCodesAsync(DeliverabilityDbContext db, long sendingIpId, string target, CancellationToken ct)
    {
        var codes = await BlockBounces(db, sendingIpId, target).GroupBy(b => b.ProviderCode ?? b.Status)
            .Select(g => new { Code = g.Key, Count = g.Count(), First = g.Min(b => b.OccurredAt) })
            .ToListAsync(ct);
        return codes.OrderBy(c => c.First).Select(c => new BlockCode(c.Code, c.Count, c.First)).ToList();
    }

    private static IQueryable<Ingestion.Bounce> BlockBounces(DeliverabilityDbContext db, long sendingIpId, string target) =>
        db.Bounces.AsNoTracking().Where(b => b.SendingIpId == sendingIpId && b.Provider == target && b.Kind == BounceKind.Bounce
            && (b.Reason == "blocked" || b.ProviderCode != null));

    private static async Task<BlockEvidence?> NewestBlockAsync(DeliverabilityDbContext db, DelistingCase delistingCase, CancellationToken ct)
    {
        if (DelistingProcesses.IsBlocklist(delistingCase.Target))
        {
            return null;
        }

        var newest = await BlockBounces(db, delistingCase.SendingIpId, delistingCase.Target).OrderByDescending(b => b.OccurredAt)
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


    private static async Task<DelistingCase> LoadForChangeAsync(DeliverabilityDbContext db, long caseId, CancellationToken ct) =>
        await db.DelistingCases.Include(c => c.Steps).FirstOrDefaultAsync(c => c.Id == caseId, ct)
            ?? throw new DelistingCaseException($"There is no delisting case #{caseId}.");

    private static DelistingProcess ProcessOf(DelistingCase delistingCase) =>
        DelistingProcesses.For(delistingCase.Target) ?? throw new DelistingCaseException($"There is no delisting process for \"{delistingCase.Target}\".");

    private static string NoteSuffix(string? note, string separator = ": ") => string.IsNullOrWhiteSpace(note) ? "" : separator + note.Trim();

    private static async Task UpdateOpenCaseCountAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var open = await db.DelistingCases.CountAsync(c => c.SendingIpId == sendingIpId && c.State != DelistingCaseState.Resolved, ct);
        await db.IpStatus.Where(s => s.SendingIpId == sendingIpId).ExecuteUpdateAsync(s => s.SetProperty(x => x.OpenCases, open), ct);
    }
}
