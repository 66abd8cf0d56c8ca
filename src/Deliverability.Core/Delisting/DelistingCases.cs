using Deliverability.Core.Remediation;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Delisting;

/// <summary>A change to a case that cannot be made as asked; the message tells the user what to do.</summary>
public sealed class DelistingCaseException(string message) : Exception(message);

/// <summary>
/// Guided delisting cases: opening, moving through the steps of the target's process, recording the provider's answers,
/// resolving and reopening. The rules of each change live on <see cref="DelistingCase"/>; this class loads, judges the
/// evidence, saves, and asks for the IP's diagnosis when a change moves its status. Every change writes an audit event.
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
        var firstNote = await DelistingBlockFacts.PrefillAsync(db, delistingCase, now, ct);
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
                var claim = DelistingClaims.Judge(kind, await DelistingCaseReader.ReadEvidenceAsync(db, delistingCase, ct))!;
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

        var claim = DelistingClaims.Judge(step.Kind, await DelistingCaseReader.ReadEvidenceAsync(db, delistingCase, ct))!;
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

        var now = clock.GetUtcNow();
        var previous = delistingCase.Reopen(now);
        delistingCase.Advance();
        delistingCase.AddEvent(now, SystemUser, $"reopened: new block at {DelistingRequestText.Format(blockAt)} (previously {previous})");
        await db.SaveChangesAsync(ct);
        return delistingCase.Id;
    }

    private static async Task<DelistingCase?> FindUnresolvedAsync(DeliverabilityDbContext db, long sendingIpId, string target, CancellationToken ct) =>
        await db.DelistingCases.AsNoTracking()
            .FirstOrDefaultAsync(c => c.SendingIpId == sendingIpId && c.Target == target && c.State != DelistingCaseState.Resolved, ct);


    private static async Task<DelistingCase> LoadForChangeAsync(DeliverabilityDbContext db, long caseId, CancellationToken ct) =>
        await db.DelistingCases.Include(c => c.Steps).FirstOrDefaultAsync(c => c.Id == caseId, ct)
            ?? throw new DelistingCaseException($"There is no delisting case #{caseId}.");

    private static DelistingProcess ProcessOf(DelistingCase delistingCase) =>
        DelistingProcesses.For(delistingCase.Target) ?? throw new DelistingCaseException($"There is no delisting process for \"{delistingCase.Target}\".");

    private static string NoteSuffix(string? note, string separator = ": ") => string.IsNullOrWhiteSpace(note) ? "" : separator + note.Trim();
}
