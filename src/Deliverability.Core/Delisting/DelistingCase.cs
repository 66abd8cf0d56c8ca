using Deliverability.Core.Ips;

namespace Deliverability.Core.Delisting;

/// <summary>A guided delisting request for one IP at one provider or blocklist.</summary>
public sealed class DelistingCase
{
    public long Id { get; set; }
    public long SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }

    /// <summary>Provider key ("outlook.com", "microsoft365", "gmail", "yahoo") or "blocklist:&lt;list id&gt;".</summary>
    public required string Target { get; set; }

    public DelistingCaseState State { get; set; }
    public DelistingOutcome? Outcome { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Key of the first pending step, stored for the case lists; null once resolved.</summary>
    public string? CurrentStepKey { get; set; }

    /// <summary>When the target first refused the IP, from the bounces at opening (or the failing check for a list).</summary>
    public DateTimeOffset? FirstBlockAt { get; set; }

    /// <summary>The codes seen at opening, comma-separated ("S3150, 5.7.1"), or the list's return code.</summary>
    public string? BlockCodes { get; set; }

    public string? TicketNumber { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? FirstReplyAt { get; set; }
    public DateTimeOffset? DecisionAt { get; set; }

    /// <summary>Whether the provider agreed to mitigate; null until it decided.</summary>
    public bool? DecisionPositive { get; set; }

    /// <summary>Due times, computed from the recorded times and the process's published timings (null: none applies).</summary>
    public DateTimeOffset? FirstReplyDueAt { get; set; }
    public DateTimeOffset? DecisionDueAt { get; set; }
    public DateTimeOffset? UnblockDueAt { get; set; }

    public int ReopenCount { get; set; }
    public DateTimeOffset? ReopenedAt { get; set; }

    public List<DelistingStep> Steps { get; set; } = [];
    public List<DelistingCaseEvent> Events { get; set; } = [];

    /// <summary>The first pending step; null once every step is finished.</summary>
    public DelistingStep? CurrentStep => Steps.Where(s => s.IsPending).MinBy(s => s.Position);

    public DelistingStep? StepOf(DelistingStepKind kind) => Steps.Where(s => s.Kind == kind).MinBy(s => s.Position);

    /// <summary>The step "undo" applies to: the last finished one, when no step before it is still pending, in an unresolved case.</summary>
    public DelistingStep? UndoableStep
    {
        get
        {
            if (State == DelistingCaseState.Resolved) return null;
            var last = Steps.Where(s => !s.IsPending).MaxBy(s => s.Position);
            return last is null || Steps.Any(s => s.IsPending && s.Position < last.Position) ? null : last;
        }
    }

    public bool CanUndo(DelistingStep step) => UndoableStep == step;

    /// <summary>Whether the step may be skipped: never the outcome, nor a submission that must carry a ticket number.</summary>
    public static bool CanSkip(DelistingStep step, DelistingProcess process) =>
        step.Kind != DelistingStepKind.Outcome && !(step.Kind == DelistingStepKind.Submission && process.TicketRequired);

    /// <summary>The step with this key when it is the current one of an unresolved case; otherwise says why not.</summary>
    internal DelistingStep CurrentStepForChange(string key)
    {
        if (State == DelistingCaseState.Resolved)
        {
            throw new DelistingCaseException("The case is resolved; nothing can change until it is reopened.");
        }

        var step = Steps.FirstOrDefault(s => s.Key == key) ?? throw new DelistingCaseException($"This case has no step \"{key}\".");
        var current = CurrentStep;
        if (current != step)
        {
            throw new DelistingCaseException(step.IsPending ? $"Finish \"{current?.Title}\" first." : $"\"{step.Title}\" is already finished.");
        }

        return step;
    }

    /// <summary>Finishes the step, moves to the next pending one and writes the audit line.</summary>
    internal void Finish(DelistingStep step, DelistingStepState state, DateTimeOffset now, string user, string? note, string what, string? overrideReason = null)
    {
        step.Finish(state, now, user, note, overrideReason);
        Advance();
        AddEvent(now, user, what);
    }

    /// <summary>Sets the undoable step back to pending. Undoing the submission returns the case to Open without due times.</summary>
    internal void Undo(string key, DateTimeOffset now, string user)
    {
        var last = UndoableStep;
        if (last is null || last.Key != key)
        {
            throw new DelistingCaseException("Only the last finished step can be undone.");
        }

        var what = $"undid \"{last.Title}\"";
        if (last.Kind == DelistingStepKind.Submission)
        {
            // Without a submission there is nothing to wait for: back to Open, due times gone (the audit keeps the old ones).
            what += $" (was sent {(SubmittedAt is { } sent ? DelistingRequestText.Format(sent) : "?")}{(TicketNumber is null ? "" : $", ticket {TicketNumber}")})";
            State = DelistingCaseState.Open;
            SubmittedAt = null;
            TicketNumber = null;
            FirstReplyDueAt = null;
            DecisionDueAt = null;
        }

        last.Reset(clearNote: last.Kind == DelistingStepKind.Submission);
        Advance();
        AddEvent(now, user, what);
    }

    /// <summary>Records when the request was sent and its ticket; the case becomes Submitted and gets its due times.</summary>
    internal void RecordSubmission(DelistingProcess process, DateTimeOffset submittedAt, string? ticketNumber, DateTimeOffset now, string user)
    {
        var step = CurrentStepForChange(StepOf(DelistingStepKind.Submission)?.Key ?? throw new DelistingCaseException("This case has no submission step."));
        var ticket = string.IsNullOrWhiteSpace(ticketNumber) ? null : ticketNumber.Trim();
        if (ticket is null && process.TicketRequired)
        {
            throw new DelistingCaseException($"Enter the ticket number {(process.Target == DelistingProcesses.Outlook ? "Microsoft" : process.Name)} gave you.");
        }

        if (ticket is { Length: > 100 })
        {
            throw new DelistingCaseException("The ticket number is too long (at most 100 characters).");
        }

        CheckEnteredTime(submittedAt, now, "The submission date");
        SubmittedAt = submittedAt;
        TicketNumber = ticket;
        State = DelistingCaseState.Submitted;
        FirstReplyDueAt = submittedAt + process.Timings.FirstReply;
        DecisionDueAt = submittedAt + process.Timings.Decision;
        var sent = $"{DelistingRequestText.Format(submittedAt)}{(ticket is null ? "" : $", ticket {ticket}")}";
        Finish(step, DelistingStepState.Done, now, user, $"Sent {sent}", $"recorded the submission at {sent}");
    }

    /// <summary>
    /// Records the provider's answers. A decision finishes the tracking step; a positive one sets the unblock due time and skips
    /// the escalation, a negative one leaves the escalation step as the next.
    /// </summary>
    internal void RecordReplies(DelistingProcess process, DateTimeOffset? firstReplyAt, DateTimeOffset? decisionAt, bool? positive, DateTimeOffset now, string user)
    {
        if (State == DelistingCaseState.Resolved)
        {
            throw new DelistingCaseException("The case is resolved.");
        }

        if (SubmittedAt is not { } submittedAt)
        {
            throw new DelistingCaseException("Record the submission first.");
        }

        if (firstReplyAt is null && decisionAt is null)
        {
            throw new DelistingCaseException("Enter when the first reply or the decision came.");
        }

        if (decisionAt is not null && positive is null)
        {
            throw new DelistingCaseException("Choose whether the answer was positive (mitigated) or negative (not qualified).");
        }

        foreach (var time in new[] { firstReplyAt, decisionAt }.OfType<DateTimeOffset>())
        {
            CheckEnteredTime(time, now, "The answer time");
            if (time < submittedAt)
            {
                throw new DelistingCaseException($"An answer cannot come before the submission ({DelistingRequestText.Format(submittedAt)}).");
            }
        }

        var changes = new List<string>();
        if (firstReplyAt is { } reply)
        {
            FirstReplyAt = reply;
            changes.Add($"first reply at {DelistingRequestText.Format(reply)}");
        }

        if (decisionAt is { } decided)
        {
            DecisionAt = decided;
            DecisionPositive = positive;
            FirstReplyAt ??= decided;
            UnblockDueAt = positive == true ? decided + process.Timings.UnblockAfterPositive : null;
            changes.Add($"{(positive == true ? "positive" : "negative")} decision at {DelistingRequestText.Format(decided)}");
            if (StepOf(DelistingStepKind.TrackReplies) is { IsPending: true } tracking)
            {
                tracking.Finish(DelistingStepState.Done, now, user, positive == true ? "Positive: mitigated" : "Negative: not qualified");
            }

            if (positive == true && StepOf(DelistingStepKind.Escalation) is { IsPending: true } escalation)
            {
                escalation.Finish(DelistingStepState.Skipped, now, user, "Not needed: the answer was positive");
            }
        }

        Advance();
        AddEvent(now, user, "recorded " + string.Join(", ", changes));
    }

    /// <summary>Records the outcome: the case is resolved, any steps still pending are skipped.</summary>
    internal void Resolve(DelistingOutcome outcome, string? note, DateTimeOffset now, string user)
    {
        if (State == DelistingCaseState.Resolved)
        {
            throw new DelistingCaseException("The case is already resolved.");
        }

        foreach (var step in Steps.Where(s => s.IsPending && s.Kind != DelistingStepKind.Outcome))
        {
            step.Finish(DelistingStepState.Skipped, now, user, $"Not needed: outcome {outcome}");
        }

        StepOf(DelistingStepKind.Outcome)?.Finish(DelistingStepState.Done, now, user, string.IsNullOrWhiteSpace(note) ? outcome.ToString() : $"{outcome}: {note.Trim()}");
        State = DelistingCaseState.Resolved;
        Outcome = outcome;
        ResolvedAt = now;
        CurrentStepKey = null;
        AddEvent(now, user, $"resolved: {outcome}{(string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}")}");
    }

    /// <summary>
    /// A date the user entered (submission, answer) must lie between the case's opening and now. Entered times have minute
    /// precision, so the opening counts from its minute.
    /// </summary>
    internal void CheckEnteredTime(DateTimeOffset at, DateTimeOffset now, string what)
    {
        if (at > now)
        {
            throw new DelistingCaseException($"{what} is in the future (now is {DelistingRequestText.Format(now)}).");
        }

        var openedMinute = new DateTimeOffset(OpenedAt.UtcDateTime.Ticks - (OpenedAt.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (at < openedMinute)
        {
            throw new DelistingCaseException($"{what} is before the case was opened ({DelistingRequestText.Format(OpenedAt)}).");
        }
    }

    /// <summary>
    /// Opens the resolved case again (the IP is blocked again): steps from "fix the causes" on are pending again, the submission
    /// and the answers are cleared (they stay in the audit). Returns how the case had ended, for the audit line.
    /// </summary>
    internal string Reopen(DateTimeOffset now)
    {
        var previous = $"unblocked {DelistingRequestText.Format(ResolvedAt!.Value)}{(TicketNumber is null ? "" : $", ticket {TicketNumber}")}";
        var fixPosition = StepOf(DelistingStepKind.FixCauses)?.Position ?? 1;
        foreach (var step in Steps.Where(s => s.Position >= fixPosition))
        {
            step.Reset(clearNote: true);
        }

        State = DelistingCaseState.Open;
        Outcome = null;
        ResolvedAt = null;
        SubmittedAt = null;
        TicketNumber = null;
        FirstReplyAt = null;
        DecisionAt = null;
        DecisionPositive = null;
        FirstReplyDueAt = null;
        DecisionDueAt = null;
        UnblockDueAt = null;
        ReopenCount++;
        ReopenedAt = now;
        return previous;
    }

    internal void Advance() => CurrentStepKey = CurrentStep?.Key;

    internal void AddEvent(DateTimeOffset at, string user, string what) =>
        Events.Add(new DelistingCaseEvent { At = at, User = user, What = what.Length > 2000 ? what[..2000] : what });
}
