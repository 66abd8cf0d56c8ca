using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Deliverability.Core.Bounces;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Delisting;

/// <summary>A change to a case that cannot be made as asked; the message tells the user what to do.</summary>
public sealed class DelistingCaseException(string message) : Exception(message);

/// <summary>A target a case can be opened for, with why it is offered.</summary>
public sealed record DelistingTargetChoice(string Target, string Name, string? Reason);

/// <summary>The targets to offer when opening a case for an IP, and the one to pre-select (the provider blocking it).</summary>
public sealed record DelistingTargetChoices(IReadOnlyList<DelistingTargetChoice> Targets, string? Suggested);

/// <summary>A latest check result as a case step shows it.</summary>
public sealed record DelistingCheckLine(string Check, string Target, CheckStatus Status, string Summary, DateTimeOffset CheckedAt);

/// <summary>An open item of the IP's remediation checklist.</summary>
public sealed record OpenRemediationItem(string Title, string Action);

/// <summary>Everything the case page shows: the case with steps and audit, and the evidence each step reads.</summary>
public sealed record DelistingCaseDetails(
    DelistingCase Case,
    string IpAddress,
    DelistingProcess Process,
    IReadOnlyList<OpenRemediationItem> OpenItems,
    IReadOnlyList<string> Fixes,
    int? SenderScore,
    DelistingCheckLine? SenderScoreCheck,
    IReadOnlyList<DelistingCheckLine> AuthenticationChecks,
    DelistingCheckLine? ListCheck,
    string RequestText,
    string? EscalationText,
    IReadOnlyList<DelistingDeadline> Deadlines);

/// <summary>
/// Guided delisting cases: opening, moving through the steps of the target's process, recording the provider's answers,
/// resolving and reopening. Every change writes an audit event and the IP's open-case count.
/// </summary>
public sealed class DelistingCases(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public const string SystemUser = "system";
    private const string FixCausesKey = "fix-causes";

    private static readonly string[] AuthenticationChecks =
        [SpfCheck.Name, DkimCheck.Name, DmarcCheck.Name, ReverseDnsCheck.PtrName, ReverseDnsCheck.FcrdnsName];

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
            Title = s.Title,
            State = DelistingStepState.Pending,
            Note = i == 0 ? firstNote : null,
        }).ToList();
        delistingCase.CurrentStepKey = process.Steps[0].Key;
        delistingCase.Events.Add(Event(now, user, $"opened the case ({process.Name}){(firstNote is null ? "" : $": {firstNote}")}"));
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
        return delistingCase;
    }

    /// <summary>Marks the current step done. Moving past "fix the causes" with open items needs <paramref name="confirmOpenItems"/>.</summary>
    public async Task CompleteStepAsync(long caseId, string stepKey, string? note, bool confirmOpenItems, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (delistingCase, process, step) = await CurrentStepAsync(db, caseId, stepKey, ct);
        var kind = process.Step(step.Key)!.Kind;
        var what = $"completed \"{step.Title}\"";
        switch (kind)
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
                    what += $" with {open} remediation item{(open == 1 ? "" : "s")} still open (confirmed)";
                }

                break;
            case DelistingStepKind.SenderScore when string.IsNullOrWhiteSpace(note):
                note = (await LatestChecksAsync(db, delistingCase.SendingIpId, ct)).FirstOrDefault(c => c.Line.Check == SenderScoreCheck.Name)?.Line.Summary
                    ?? "No Sender Score result yet.";
                break;
            case DelistingStepKind.Authentication when string.IsNullOrWhiteSpace(note):
                var results = (await LatestChecksAsync(db, delistingCase.SendingIpId, ct)).Where(c => AuthenticationChecks.Contains(c.Line.Check)).ToList();
                var failing = results.Where(c => c.Line.Status != CheckStatus.Pass).Select(c => $"{c.Line.Check} {c.Line.Target}").ToList();
                note = results.Count == 0 ? "No authentication result yet."
                    : failing.Count == 0 ? $"All {results.Count} checks pass."
                    : $"{results.Count - failing.Count} of {results.Count} checks pass; not passing: {string.Join(", ", failing)}.";
                break;
            case DelistingStepKind.ConfirmDelisting:
                var check = (await LatestChecksAsync(db, delistingCase.SendingIpId, ct)).FirstOrDefault(c => c.Line.Check == delistingCase.Target);
                if (check?.Line.Status != CheckStatus.Pass)
                {
                    throw new DelistingCaseException(check is null
                        ? "The list has not been checked for this IP: run the checks (Check now) first."
                        : $"The list's latest check does not pass ({check.Line.Summary}). Run the checks again once the list has removed the IP.");
                }

                what += $" (check passed {DelistingRequestText.Format(check.Line.CheckedAt)})";
                break;
        }

        var now = clock.GetUtcNow();
        Finish(step, DelistingStepState.Done, now, user, note);
        Advance(delistingCase);
        delistingCase.Events.Add(Event(now, user, what + NoteSuffix(note)));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Skips the current step (not the submission, the decision or the outcome).</summary>
    public async Task SkipStepAsync(long caseId, string stepKey, string? note, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (delistingCase, process, step) = await CurrentStepAsync(db, caseId, stepKey, ct);
        var kind = process.Step(step.Key)!.Kind;
        if (kind == DelistingStepKind.Outcome || (kind == DelistingStepKind.Submission && process.TicketRequired))
        {
            throw new DelistingCaseException($"\"{step.Title}\" cannot be skipped.");
        }

        var now = clock.GetUtcNow();
        Finish(step, DelistingStepState.Skipped, now, user, note);
        Advance(delistingCase);
        delistingCase.Events.Add(Event(now, user, $"skipped \"{step.Title}\"{NoteSuffix(note)}"));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Sets the last finished step back to pending (the submission's and answers' recorded times are kept).</summary>
    public async Task UndoStepAsync(long caseId, string stepKey, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        var last = delistingCase.Steps.Where(s => s.State != DelistingStepState.Pending).MaxBy(s => s.Position);
        if (last is null || last.Key != stepKey)
        {
            throw new DelistingCaseException("Only the last finished step can be undone.");
        }

        if (delistingCase.Steps.Any(s => s.State == DelistingStepState.Pending && s.Position < last.Position))
        {
            throw new DelistingCaseException("Only the last finished step can be undone.");
        }

        last.State = DelistingStepState.Pending;
        last.DoneAt = null;
        last.DoneBy = null;
        var what = $"undid \"{last.Title}\"";
        if (ProcessOf(delistingCase).Step(last.Key)?.Kind == DelistingStepKind.Submission)
        {
            // Without a submission there is nothing to wait for: back to Open, due times gone (the audit keeps the old ones).
            what += $" (was sent {(delistingCase.SubmittedAt is { } sent ? DelistingRequestText.Format(sent) : "?")}{(delistingCase.TicketNumber is null ? "" : $", ticket {delistingCase.TicketNumber}")})";
            delistingCase.State = DelistingCaseState.Open;
            delistingCase.SubmittedAt = null;
            delistingCase.TicketNumber = null;
            delistingCase.FirstReplyDueAt = null;
            delistingCase.DecisionDueAt = null;
            last.Note = null;
        }

        Advance(delistingCase);
        delistingCase.Events.Add(Event(clock.GetUtcNow(), user, what));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records when the request was sent and the ticket number; the case becomes Submitted and gets its due times.</summary>
    public async Task RecordSubmissionAsync(long caseId, DateTimeOffset submittedAt, string? ticketNumber, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (delistingCase, process, step) = await CurrentStepAsync(db, caseId, "submit", ct);
        var ticket = string.IsNullOrWhiteSpace(ticketNumber) ? null : ticketNumber.Trim();
        if (ticket is null && process.TicketRequired)
        {
            throw new DelistingCaseException($"Enter the ticket number {(process.Target == DelistingProcesses.Outlook ? "Microsoft" : process.Name)} gave you.");
        }

        if (ticket is { Length: > 100 })
        {
            throw new DelistingCaseException("The ticket number is too long (at most 100 characters).");
        }

        var now = clock.GetUtcNow();
        if (submittedAt > now.AddMinutes(5))
        {
            throw new DelistingCaseException("The submission date is in the future.");
        }

        if (submittedAt < delistingCase.OpenedAt.AddDays(-30))
        {
            throw new DelistingCaseException("The submission date is long before the case was opened.");
        }

        delistingCase.SubmittedAt = submittedAt;
        delistingCase.TicketNumber = ticket;
        delistingCase.State = DelistingCaseState.Submitted;
        delistingCase.FirstReplyDueAt = submittedAt + process.Timings.FirstReply;
        delistingCase.DecisionDueAt = submittedAt + process.Timings.Decision;
        Finish(step, DelistingStepState.Done, now, user, ticket is null ? $"Sent {DelistingRequestText.Format(submittedAt)}" : $"Sent {DelistingRequestText.Format(submittedAt)}, ticket {ticket}");
        Advance(delistingCase);
        delistingCase.Events.Add(Event(now, user, $"recorded the submission at {DelistingRequestText.Format(submittedAt)}{(ticket is null ? "" : $", ticket {ticket}")}"));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Records the provider's answers. A decision finishes the tracking step; a positive one sets the unblock due time and skips
    /// the escalation, a negative one leaves the escalation step as the next.
    /// </summary>
    public async Task RecordRepliesAsync(long caseId, DateTimeOffset? firstReplyAt, DateTimeOffset? decisionAt, bool? positive, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        var process = ProcessOf(delistingCase);
        if (delistingCase.SubmittedAt is not { } submittedAt)
        {
            throw new DelistingCaseException("Record the submission first.");
        }

        if (delistingCase.State == DelistingCaseState.Resolved)
        {
            throw new DelistingCaseException("The case is resolved.");
        }

        if (firstReplyAt is null && decisionAt is null)
        {
            throw new DelistingCaseException("Enter when the first reply or the decision came.");
        }

        if (decisionAt is not null && positive is null)
        {
            throw new DelistingCaseException("Choose whether the answer was positive (mitigated) or negative (not qualified).");
        }

        var now = clock.GetUtcNow();
        foreach (var time in new[] { firstReplyAt, decisionAt })
        {
            if (time < submittedAt)
            {
                throw new DelistingCaseException("An answer cannot come before the submission.");
            }

            if (time > now.AddMinutes(5))
            {
                throw new DelistingCaseException("The answer time is in the future.");
            }
        }

        var changes = new List<string>();
        if (firstReplyAt is { } reply)
        {
            delistingCase.FirstReplyAt = reply;
            changes.Add($"first reply at {DelistingRequestText.Format(reply)}");
        }

        if (decisionAt is { } decided)
        {
            delistingCase.DecisionAt = decided;
            delistingCase.DecisionPositive = positive;
            delistingCase.FirstReplyAt ??= decided;
            delistingCase.UnblockDueAt = positive == true ? decided + process.Timings.UnblockAfterPositive : null;
            changes.Add($"{(positive == true ? "positive" : "negative")} decision at {DelistingRequestText.Format(decided)}");
            var tracking = delistingCase.Steps.FirstOrDefault(s => s.Key == "track-replies" && s.State == DelistingStepState.Pending);
            if (tracking is not null)
            {
                Finish(tracking, DelistingStepState.Done, now, user, positive == true ? "Positive: mitigated" : "Negative: not qualified");
            }

            var escalation = delistingCase.Steps.FirstOrDefault(s => process.Step(s.Key)?.Kind == DelistingStepKind.Escalation);
            if (escalation is not null && positive == true && escalation.State == DelistingStepState.Pending)
            {
                Finish(escalation, DelistingStepState.Skipped, now, user, "Not needed: the answer was positive");
            }
        }

        Advance(delistingCase);
        delistingCase.Events.Add(Event(now, user, "recorded " + string.Join(", ", changes)));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records the outcome: the case is resolved, any steps still pending are skipped.</summary>
    public async Task RecordOutcomeAsync(long caseId, DelistingOutcome outcome, string? note, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        if (delistingCase.State == DelistingCaseState.Resolved)
        {
            throw new DelistingCaseException("The case is already resolved.");
        }

        var now = clock.GetUtcNow();
        foreach (var step in delistingCase.Steps.Where(s => s.State == DelistingStepState.Pending && s.Key != "outcome"))
        {
            Finish(step, DelistingStepState.Skipped, now, user, $"Not needed: outcome {outcome}");
        }

        var outcomeStep = delistingCase.Steps.FirstOrDefault(s => s.Key == "outcome");
        if (outcomeStep is not null)
        {
            Finish(outcomeStep, DelistingStepState.Done, now, user, string.IsNullOrWhiteSpace(note) ? outcome.ToString() : $"{outcome}: {note.Trim()}");
        }

        delistingCase.State = DelistingCaseState.Resolved;
        delistingCase.Outcome = outcome;
        delistingCase.ResolvedAt = now;
        delistingCase.CurrentStepKey = null;
        delistingCase.Events.Add(Event(now, user, $"resolved: {outcome}{NoteSuffix(note)}"));
        await db.SaveChangesAsync(ct);
        await UpdateOpenCaseCountAsync(db, delistingCase.SendingIpId, ct);
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
        var fixPosition = delistingCase.Steps.FirstOrDefault(s => s.Key == FixCausesKey)?.Position ?? 1;
        foreach (var step in delistingCase.Steps.Where(s => s.Position >= fixPosition))
        {
            step.State = DelistingStepState.Pending;
            step.DoneAt = null;
            step.DoneBy = null;
            step.Note = null;
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
        Advance(delistingCase);
        db.DelistingCaseEvents.Add(new DelistingCaseEvent
        {
            CaseId = delistingCase.Id,
            At = now,
            User = SystemUser,
            What = $"reopened: new block at {DelistingRequestText.Format(blockAt)} (previously {previous})",
        });
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
        foreach (var listed in (await LatestChecksAsync(db, sendingIpId, ct))
                     .Where(c => DelistingProcesses.IsBlocklist(c.Line.Check) && c.Line.Status is CheckStatus.Fail or CheckStatus.Warn)
                     .OrderBy(c => c.Line.Check))
        {
            if (DelistingProcesses.For(listed.Line.Check) is { } process)
            {
                choices.Add(new DelistingTargetChoice(process.Target, process.Name, "latest check lists the IP"));
            }
        }

        var suggested = blockedBy is not null && DelistingProcesses.For(blockedBy) is not null ? blockedBy
            : newestProvider ?? choices.FirstOrDefault(c => DelistingProcesses.IsBlocklist(c.Target))?.Target;
        return new DelistingTargetChoices(choices, suggested);
    }

    /// <summary>The case with its steps, audit and the evidence its steps show, or null.</summary>
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
        var ip = await db.SendingIps.AsNoTracking().Where(x => x.Id == delistingCase.SendingIpId).Select(x => x.Address).FirstAsync(ct);
        var items = await db.RemediationItems.AsNoTracking().Where(x => x.SendingIpId == delistingCase.SendingIpId)
            .OrderBy(x => x.Position).Select(x => new { x.Title, x.Action, x.Done }).ToListAsync(ct);
        var open = items.Where(x => !x.Done).Select(x => new OpenRemediationItem(x.Title, x.Action)).ToList();
        var fixes = items.Where(x => x.Done).Select(x => x.Title).ToList();

        var checks = await LatestChecksAsync(db, delistingCase.SendingIpId, ct);
        var senderScore = checks.Select(c => c.Line).FirstOrDefault(c => c.Check == SenderScoreCheck.Name);
        var score = checks.Where(c => c.Line.Check == SenderScoreCheck.Name).Select(c => ReadInt(c.Details, "score")).FirstOrDefault();
        var authentication = checks.Select(c => c.Line).Where(c => AuthenticationChecks.Contains(c.Check))
            .OrderBy(c => Array.IndexOf(AuthenticationChecks, c.Check)).ThenBy(c => c.Target).ToList();
        var listCheck = checks.Select(c => c.Line).FirstOrDefault(c => c.Check == delistingCase.Target);

        var block = await NewestBlockAsync(db, delistingCase, ct);
        var address = ip.ToString();
        var request = DelistingRequestText.Request(address, process, delistingCase, block, fixes);
        var escalation = process.Steps.Any(s => s.Kind == DelistingStepKind.Escalation) && delistingCase.DecisionPositive == false
            ? DelistingRequestText.Escalation(address, process, delistingCase, fixes)
            : null;
        return new DelistingCaseDetails(delistingCase, address, process, open, fixes, score, senderScore, authentication, listCheck,
            request, escalation, DelistingDeadline.Of(delistingCase));
    }

    private static async Task<DelistingCase?> FindUnresolvedAsync(DeliverabilityDbContext db, long sendingIpId, string target, CancellationToken ct) =>
        await db.DelistingCases.AsNoTracking()
            .FirstOrDefaultAsync(c => c.SendingIpId == sendingIpId && c.Target == target && c.State != DelistingCaseState.Resolved, ct);

    /// <summary>Fills the case's first block time and codes; returns the note of the first step.</summary>
    private static async Task<string?> PrefillBlockAsync(DeliverabilityDbContext db, DelistingCase delistingCase, DateTimeOffset now, CancellationToken ct)
    {
        if (DelistingProcesses.IsBlocklist(delistingCase.Target))
        {
            var check = (await LatestChecksAsync(db, delistingCase.SendingIpId, ct)).FirstOrDefault(c => c.Line.Check == delistingCase.Target);
            if (check is null)
            {
                return "The list has not been checked for this IP yet.";
            }

            var answers = check.Details["readings"] is JsonArray readings
                ? string.Join(", ", readings.Select(r => r?["answer"]?.GetValue<string>()).OfType<string>())
                : "";
            delistingCase.BlockCodes = answers.Length == 0 ? null : answers;
            delistingCase.FirstBlockAt = check.Line.Status is CheckStatus.Fail or CheckStatus.Warn ? check.Line.CheckedAt : null;
            return check.Line.Summary;
        }

        var blocks = BlockBounces(db, delistingCase.SendingIpId, delistingCase.Target);
        var codes = await blocks.GroupBy(b => b.ProviderCode ?? b.Status)
            .Select(g => new { Code = g.Key, Count = g.Count(), First = g.Min(b => b.OccurredAt) })
            .ToListAsync(ct);
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

        delistingCase.FirstBlockAt = codes.Min(c => c.First);
        var ordered = codes.OrderBy(c => c.First).ToList();
        delistingCase.BlockCodes = string.Join(", ", ordered.Select(c => c.Code ?? "no code"));
        return $"First block {DelistingRequestText.Format(delistingCase.FirstBlockAt.Value)}; codes "
            + string.Join(", ", ordered.Select(c => $"{c.Code ?? "no code"} ({c.Count} bounce{(c.Count == 1 ? "" : "s")})"));
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

    private sealed record LatestCheck(DelistingCheckLine Line, JsonObject Details);

    /// <summary>The latest result of each check and target of the IP, over all its runs.</summary>
    private static async Task<List<LatestCheck>> LatestChecksAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var rows = await db.CheckResults.AsNoTracking().Where(r => r.SendingIpId == sendingIpId)
            .GroupBy(r => new { r.Check, r.Target })
            .Select(g => g.OrderByDescending(r => r.CheckedAt).ThenByDescending(r => r.Id).First())
            .ToListAsync(ct);
        return rows.Select(r => new LatestCheck(new DelistingCheckLine(r.Check, r.Target, r.Status, r.Summary, r.CheckedAt),
            JsonNode.Parse(r.Details) as JsonObject ?? [])).ToList();
    }

    private static int? ReadInt(JsonObject details, string name) =>
        details[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static async Task<(DelistingCase Case, DelistingProcess Process, DelistingStep Step)> CurrentStepAsync(
        DeliverabilityDbContext db, long caseId, string stepKey, CancellationToken ct)
    {
        var delistingCase = await LoadForChangeAsync(db, caseId, ct);
        if (delistingCase.State == DelistingCaseState.Resolved)
        {
            throw new DelistingCaseException("The case is resolved; nothing can change until it is reopened.");
        }

        var step = delistingCase.Steps.FirstOrDefault(s => s.Key == stepKey)
            ?? throw new DelistingCaseException($"This case has no step \"{stepKey}\".");
        var current = delistingCase.Steps.Where(s => s.State == DelistingStepState.Pending).MinBy(s => s.Position);
        if (current != step)
        {
            throw new DelistingCaseException(step.State == DelistingStepState.Pending
                ? $"Finish \"{current?.Title}\" first."
                : $"\"{step.Title}\" is already finished.");
        }

        return (delistingCase, ProcessOf(delistingCase), step);
    }

    private static async Task<DelistingCase> LoadForChangeAsync(DeliverabilityDbContext db, long caseId, CancellationToken ct) =>
        await db.DelistingCases.Include(c => c.Steps).FirstOrDefaultAsync(c => c.Id == caseId, ct)
            ?? throw new DelistingCaseException($"There is no delisting case #{caseId}.");

    private static DelistingProcess ProcessOf(DelistingCase delistingCase) =>
        DelistingProcesses.For(delistingCase.Target) ?? throw new DelistingCaseException($"There is no delisting process for \"{delistingCase.Target}\".");

    private static void Finish(DelistingStep step, DelistingStepState state, DateTimeOffset now, string user, string? note)
    {
        step.State = state;
        step.DoneAt = now;
        step.DoneBy = user;
        if (!string.IsNullOrWhiteSpace(note))
        {
            var trimmed = note.Trim();
            step.Note = trimmed.Length > 4000 ? trimmed[..4000] : trimmed;
        }
    }

    private static void Advance(DelistingCase delistingCase) =>
        delistingCase.CurrentStepKey = delistingCase.Steps.Where(s => s.State == DelistingStepState.Pending).MinBy(s => s.Position)?.Key;

    private static DelistingCaseEvent Event(DateTimeOffset at, string user, string what) =>
        new() { At = at, User = user, What = what.Length > 2000 ? what[..2000] : what };

    private static string NoteSuffix(string? note) => string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}";

    private static async Task UpdateOpenCaseCountAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var open = await db.DelistingCases.CountAsync(c => c.SendingIpId == sendingIpId && c.State != DelistingCaseState.Resolved, ct);
        await db.IpStatus.Where(s => s.SendingIpId == sendingIpId).ExecuteUpdateAsync(s => s.SetProperty(x => x.OpenCases, open), ct);
    }
}
