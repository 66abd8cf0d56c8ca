using Deliverability.Testing;
using Deliverability.Core.Checks;
using Deliverability.Core.Delisting;
using Deliverability.Core.Providers;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Delisting;

public class DelistingCasesTests(DelistingDatabase data) : IClassFixture<DelistingDatabase>
{
    private const string Operator = "operator@example.com";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DelistingCases Cases => data.Cases;

    /// <summary>An IP blocked by Outlook.com with two S3150 bounces, and an open Outlook.com case for it.</summary>
    private async Task<(long Ip, long Case)> OutlookCaseAsync(bool openItem = false)
    {
        var ip = await data.AddIpAsync();
        await data.AddBounceAsync(ip, "outlook-s3150", "outlook.com", "S3150", DelistingDatabase.Start.AddDays(-2));
        await data.AddBounceAsync(ip, "outlook-s3150", "outlook.com", "S3150", DelistingDatabase.Start.AddDays(-1));
        await data.AddRemediationItemAsync(ip, "ptr", done: true);
        if (openItem)
        {
            await data.AddRemediationItemAsync(ip, "complaints", done: false);
        }

        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, Operator, Ct);
        return (ip, opened.Id);
    }

    /// <summary>Completes steps until <paramref name="key"/> is the current one; skips those whose claim the evidence does not verify.</summary>
    private async Task AdvanceToAsync(long caseId, string key)
    {
        while (true)
        {
            var details = (await data.Reader.LoadAsync(caseId, Ct))!;
            var current = details.Case.CurrentStep!;
            if (current.Key == key)
            {
                return;
            }

            if (details.Claims.TryGetValue(current.Kind, out var claim) && !claim.IsVerified)
            {
                await Cases.SkipStepAsync(caseId, current.Key, "Not verified yet", Operator, Ct);
            }
            else
            {
                await Cases.CompleteStepAsync(caseId, current.Key, null, confirmOpenItems: true, Operator, Ct);
            }
        }
    }

    private async Task SubmitAsync(long caseId, string ticket = "SRX1234567890ID")
    {
        await AdvanceToAsync(caseId, "submit");
        await Cases.RecordSubmissionAsync(caseId, data.Clock.GetUtcNow(), ticket, Operator, Ct);
    }

    [Fact]
    public async Task OpenAsync_WithBlockBounces_PrefillsFirstBlockTimeAndCodes()
    {
        var (ip, caseId) = await OutlookCaseAsync();

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;
        Assert.Equal(DelistingCaseState.Open, details.Case.State);
        Assert.Equal(DelistingDatabase.Start.AddDays(-2), details.Case.FirstBlockAt);
        Assert.Equal("S3150", details.Case.BlockCodes);
        Assert.Equal("find-error", details.Case.CurrentStepKey);
        Assert.Contains("S3150 (2 bounces)", details.Case.Steps[0].Note, StringComparison.Ordinal);
        Assert.Contains("10 Mar 2026 08:00 UTC", details.Case.Steps[0].Note, StringComparison.Ordinal);
        // The open case changes the IP's status (open-case count, next step): the case asks for the diagnosis, which writes it.
        Assert.Contains(ip, data.Jobs.RefreshedIps);
    }

    [Fact]
    public async Task OpenAsync_WhenOpenedTwice_ReturnsTheSameCase()
    {
        var (ip, caseId) = await OutlookCaseAsync();

        var again = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, "someone-else@example.com", Ct);

        Assert.Equal(caseId, again.Id);
        await using var db = data.CreateDbContext();
        Assert.Equal(1, await db.DelistingCases.CountAsync(c => c.SendingIpId == ip, Ct));
    }

    [Fact]
    public async Task OpenAsync_WithUnknownTarget_Refuses()
    {
        var ip = await data.AddIpAsync();

        var error = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.OpenAsync(ip, "hotmail-typo", Operator, Ct));

        Assert.Contains("no delisting process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteStepAsync_PastOpenRemediationItems_NeedsConfirmationAndIsAudited()
    {
        var (_, caseId) = await OutlookCaseAsync(openItem: true);
        await Cases.CompleteStepAsync(caseId, "find-error", "Seen in the MTA log too", false, Operator, Ct);

        var error = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(caseId, "fix-causes", null, false, Operator, Ct));
        Assert.Contains("1 remediation item is still open", error.Message, StringComparison.Ordinal);
        Assert.Equal("fix-causes", (await data.Reader.LoadAsync(caseId, Ct))!.Case.CurrentStepKey);

        await Cases.CompleteStepAsync(caseId, "fix-causes", null, true, Operator, Ct);

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;
        Assert.Equal("sender-score", details.Case.CurrentStepKey);
        Assert.Single(details.OpenItems);
        Assert.Contains(details.Case.Events, e => e.User == Operator && e.What.Contains("1 remediation item still open (confirmed)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteStepAsync_WhenNotTheCurrentStep_Refuses()
    {
        var (_, caseId) = await OutlookCaseAsync();

        var error = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(caseId, "sender-score", null, false, Operator, Ct));

        Assert.Equal("Finish \"Find the error\" first.", error.Message);
    }

    [Fact]
    public async Task UndoStepAsync_OnTheLastFinishedStep_MakesItCurrentAgain()
    {
        var (_, caseId) = await OutlookCaseAsync();
        await Cases.CompleteStepAsync(caseId, "find-error", null, false, Operator, Ct);
        await Cases.SkipStepAsync(caseId, "fix-causes", "Nothing to fix", Operator, Ct);

        await Cases.UndoStepAsync(caseId, "fix-causes", Operator, Ct);

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;
        Assert.Equal("fix-causes", details.Case.CurrentStepKey);
        Assert.Equal(DelistingStepState.Pending, details.Case.Steps.Single(s => s.Key == "fix-causes").State);
        Assert.Contains(details.Case.Events, e => e.What == "undid \"Fix the causes\"");
    }

    [Fact]
    public async Task UndoStepAsync_OnTheSubmission_ReturnsToOpenWithoutDueTimes()
    {
        var (_, caseId) = await OutlookCaseAsync();
        await SubmitAsync(caseId, "T-77");

        await Cases.UndoStepAsync(caseId, "submit", Operator, Ct);

        var c = (await data.Reader.LoadAsync(caseId, Ct))!.Case;
        Assert.Equal(DelistingCaseState.Open, c.State);
        Assert.Equal("submit", c.CurrentStepKey);
        Assert.Null(c.TicketNumber);
        Assert.Empty(DelistingDeadline.Of(c));
        Assert.Contains(c.Events, e => e.What.StartsWith("undid \"Record the submission\" (was sent", StringComparison.Ordinal) && e.What.EndsWith("ticket T-77)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordSubmissionAsync_WithoutTicket_RefusesWithAClearMessage()
    {
        var (_, caseId) = await OutlookCaseAsync();
        await AdvanceToAsync(caseId, "submit");

        var error = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.RecordSubmissionAsync(caseId, data.Clock.GetUtcNow(), " ", Operator, Ct));

        Assert.Equal("Enter the ticket number Microsoft gave you.", error.Message);
    }

    [Fact]
    public async Task RecordSubmissionAsync_WithTicket_SetsSubmittedAndDueTimes()
    {
        var (_, caseId) = await OutlookCaseAsync();
        await AdvanceToAsync(caseId, "submit");
        var submittedAt = data.Clock.GetUtcNow().AddHours(1);
        var twoHoursLater = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(data.Clock.GetUtcNow().AddHours(2));

        await new DelistingCases(data, twoHoursLater, new RecordedJobs().DiagnosisRequests).RecordSubmissionAsync(caseId, submittedAt, "SRX1234567890ID", Operator, Ct);

        var c = (await data.Reader.LoadAsync(caseId, Ct))!.Case;
        Assert.Equal(DelistingCaseState.Submitted, c.State);
        Assert.Equal("SRX1234567890ID", c.TicketNumber);
        Assert.Equal(submittedAt, c.SubmittedAt);
        Assert.Equal(submittedAt.AddHours(24), c.FirstReplyDueAt);
        Assert.Equal(submittedAt.AddHours(48), c.DecisionDueAt);
        Assert.Null(c.UnblockDueAt);
        Assert.Equal("track-replies", c.CurrentStepKey);
        var next = DelistingDeadline.Next(c)!;
        Assert.Equal("First reply", next.Name);
        Assert.False(next.IsOverdue(twoHoursLater.GetUtcNow()));
        Assert.Equal("due in 23 h", DelistingDeadline.Describe(next.DueAt, twoHoursLater.GetUtcNow()));
    }

    [Fact]
    public async Task Deadlines_AfterTheDueTime_AreOverdueUntilTheAnswerIsRecorded()
    {
        var (_, caseId) = await OutlookCaseAsync();
        await SubmitAsync(caseId);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(data.Clock.GetUtcNow().AddHours(30));

        var c = (await data.Reader.LoadAsync(caseId, Ct))!.Case;
        var deadlines = DelistingDeadline.Of(c);
        Assert.True(deadlines.Single(d => d.Name == "First reply").IsOverdue(clock.GetUtcNow()));
        Assert.False(deadlines.Single(d => d.Name == "Decision").IsOverdue(clock.GetUtcNow()));
        Assert.Equal("overdue by 6 h", DelistingDeadline.Describe(c.FirstReplyDueAt!.Value, clock.GetUtcNow()));

        await new DelistingCases(data, clock, new RecordedJobs().DiagnosisRequests).RecordRepliesAsync(caseId, clock.GetUtcNow().AddHours(-1), null, null, Operator, Ct);

        c = (await data.Reader.LoadAsync(caseId, Ct))!.Case;
        Assert.False(DelistingDeadline.Of(c).Single(d => d.Name == "First reply").IsOverdue(clock.GetUtcNow()));
        Assert.Equal("Decision", DelistingDeadline.Next(c)!.Name);
    }

    [Fact]
    public async Task RecordRepliesAsync_WithNegativeDecision_OffersTheEscalationTemplateWithTheTicket()
    {
        var (_, caseId) = await OutlookCaseAsync();
        await SubmitAsync(caseId, "SRX0000042");

        await Cases.RecordRepliesAsync(caseId, null, data.Clock.GetUtcNow(), false, Operator, Ct);

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;
        Assert.Equal("escalate", details.Case.CurrentStepKey);
        Assert.NotNull(details.EscalationText);
        Assert.Contains("SRX0000042", details.EscalationText, StringComparison.Ordinal);
        Assert.Contains("escalate", details.EscalationText, StringComparison.Ordinal);
        Assert.Contains("- Fix ptr", details.EscalationText, StringComparison.Ordinal);
        Assert.Null(details.Case.UnblockDueAt);
    }

    [Fact]
    public async Task RecordRepliesAsync_WithPositiveDecision_SetsUnblockDueAndSkipsEscalation()
    {
        var (_, caseId) = await OutlookCaseAsync();
        await SubmitAsync(caseId);

        await Cases.RecordRepliesAsync(caseId, null, data.Clock.GetUtcNow(), true, Operator, Ct);

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;
        Assert.Equal("outcome", details.Case.CurrentStepKey);
        Assert.Equal(data.Clock.GetUtcNow().AddHours(24), details.Case.UnblockDueAt);
        Assert.Equal(DelistingStepState.Skipped, details.Case.Steps.Single(s => s.Key == "escalate").State);
        Assert.Null(details.EscalationText);
    }

    [Fact]
    public async Task OpeningAndResolvingACase_AskForTheIpsDiagnosis_SoItsStatusAndNextStepFollow()
    {
        var (ip, caseId) = await OutlookCaseAsync();
        var afterOpen = data.Jobs.RefreshedIps.Count(id => id == ip);

        await Cases.RecordOutcomeAsync(caseId, DelistingOutcome.Unblocked, null, Operator, Ct);

        Assert.Equal(1, afterOpen);
        Assert.Equal(2, data.Jobs.RefreshedIps.Count(id => id == ip));
    }

    [Fact]
    public async Task RecordOutcomeAsync_Unblocked_ResolvesTheCase()
    {
        var (ip, caseId) = await OutlookCaseAsync();
        await SubmitAsync(caseId);
        await Cases.RecordRepliesAsync(caseId, null, data.Clock.GetUtcNow(), true, Operator, Ct);

        await Cases.RecordOutcomeAsync(caseId, DelistingOutcome.Unblocked, "Mail flows again", Operator, Ct);

        var c = (await data.Reader.LoadAsync(caseId, Ct))!.Case;
        Assert.Equal(DelistingCaseState.Resolved, c.State);
        Assert.Equal(DelistingOutcome.Unblocked, c.Outcome);
        Assert.Equal(data.Clock.GetUtcNow(), c.ResolvedAt);
        Assert.Null(c.CurrentStepKey);
        Assert.All(c.Steps, s => Assert.NotEqual(DelistingStepState.Pending, s.State));
        Assert.Equal(2, data.Jobs.RefreshedIps.Count(id => id == ip));
        await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(caseId, "outcome", null, false, Operator, Ct));
    }

    [Fact]
    public async Task ReopenIfBlockedAgainAsync_AfterUnblock_ReopensFromFixTheCauses()
    {
        var (ip, caseId) = await OutlookCaseAsync();
        await SubmitAsync(caseId);
        await Cases.RecordRepliesAsync(caseId, null, data.Clock.GetUtcNow(), true, Operator, Ct);
        await Cases.RecordOutcomeAsync(caseId, DelistingOutcome.Unblocked, null, Operator, Ct);
        var resolvedAt = data.Clock.GetUtcNow();

        Assert.Null(await Cases.ReopenIfBlockedAgainAsync(ip, DelistingProcesses.Outlook, resolvedAt.AddHours(-1), Ct));
        var reopened = await Cases.ReopenIfBlockedAgainAsync(ip, DelistingProcesses.Outlook, resolvedAt.AddDays(3), Ct);

        Assert.Equal(caseId, reopened);
        var c = (await data.Reader.LoadAsync(caseId, Ct))!.Case;
        Assert.Equal(DelistingCaseState.Open, c.State);
        Assert.Null(c.Outcome);
        Assert.Null(c.TicketNumber);
        Assert.Equal(1, c.ReopenCount);
        Assert.Equal("fix-causes", c.CurrentStepKey);
        Assert.Equal(DelistingStepState.Done, c.Steps.Single(s => s.Key == "find-error").State);
        Assert.All(c.Steps.Where(s => s.Position >= 2), s => Assert.Equal(DelistingStepState.Pending, s.State));
        Assert.Contains(c.Events, e => e.User == DelistingCases.SystemUser
            && e.What.StartsWith($"reopened: new block at {DelistingRequestText.Format(resolvedAt.AddDays(3))}", StringComparison.Ordinal));
        Assert.Null(await Cases.ReopenIfBlockedAgainAsync(ip, DelistingProcesses.Outlook, resolvedAt.AddDays(4), Ct));
    }

    [Fact]
    public async Task EveryChange_WritesAnAuditEventWithTheUser()
    {
        var (_, caseId) = await OutlookCaseAsync(openItem: true);
        await Cases.CompleteStepAsync(caseId, "find-error", null, false, "a@example.com", Ct);
        await Cases.CompleteStepAsync(caseId, "fix-causes", null, true, "b@example.com", Ct);
        await Cases.SkipStepAsync(caseId, "sender-score", "No score yet", "c@example.com", Ct);
        await AdvanceToAsync(caseId, "submit");
        await Cases.RecordSubmissionAsync(caseId, data.Clock.GetUtcNow(), "T-1", "d@example.com", Ct);
        await Cases.RecordRepliesAsync(caseId, data.Clock.GetUtcNow(), null, null, "e@example.com", Ct);
        await Cases.RecordOutcomeAsync(caseId, DelistingOutcome.Withdrawn, null, "f@example.com", Ct);

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;
        var events = details.Case.Events;
        foreach (var user in new[] { Operator, "a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com" })
        {
            Assert.Contains(events, e => e.User == user && e.At == data.Clock.GetUtcNow());
        }

        Assert.Contains(events, e => e.What == "opened the case (Outlook.com): " + details.Case.Steps[0].Note);
        Assert.Contains(events, e => e.What == "skipped \"Sender Score above 85\": No score yet");
        Assert.Contains(events, e => e.What == "resolved: Withdrawn");
    }

    [Fact]
    public async Task RequestText_ContainsTheIpCodeAndTheBouncedMessageHeaders()
    {
        var (ip, caseId) = await OutlookCaseAsync();

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;

        Assert.Contains(details.IpAddress, details.RequestText, StringComparison.Ordinal);
        Assert.Contains("Error code: S3150", details.RequestText, StringComparison.Ordinal);
        Assert.Contains("First refused: 10 Mar 2026 08:00 UTC", details.RequestText, StringComparison.Ordinal);
        Assert.Contains("- Fix ptr", details.RequestText, StringComparison.Ordinal);
        Assert.Contains("Reporting-MTA: dns; mx1.example.com", details.RequestText, StringComparison.Ordinal);
        Assert.Contains("Message-ID: <newsletter-2026-03.42@example.com>", details.RequestText, StringComparison.Ordinal);
        Assert.Contains("Received: from app.example.com", details.RequestText, StringComparison.Ordinal);
        Assert.True(ip > 0);
    }

    [Fact]
    public async Task LoadAsync_ShowsTheLatestSenderScoreAndAuthenticationChecks()
    {
        var ip = await data.AddIpAsync();
        await data.AddCheckAsync(ip, "senderscore", "5.113.0.203", CheckStatus.Warn, "Sender Score 70/100", """{"score": 70}""", TimeSpan.FromDays(-1));
        await data.AddCheckAsync(ip, "senderscore", "5.113.0.203", CheckStatus.Pass, "Sender Score 91/100", """{"score": 91}""");
        await data.AddCheckAsync(ip, "spf", "example.com", CheckStatus.Pass, "SPF passes");
        await data.AddCheckAsync(ip, "ptr", "203.0.113.9", CheckStatus.Fail, "No PTR");
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, Operator, Ct);

        var details = (await data.Reader.LoadAsync(opened.Id, Ct))!;

        Assert.Equal(91, details.SenderScore);
        Assert.Equal(["spf", "ptr"], details.AuthenticationChecks.Select(c => c.Check));
        Assert.Contains("No block bounce", details.Case.Steps[0].Note, StringComparison.Ordinal);

        await AdvanceToAsync(opened.Id, "authentication");
        var refused = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(opened.Id, "authentication", null, false, Operator, Ct));
        Assert.StartsWith("Not verified: 1 of 2 checks pass; not passing: ptr 203.0.113.9", refused.Message, StringComparison.Ordinal);
        var steps = (await data.Reader.LoadAsync(opened.Id, Ct))!.Case.Steps;
        Assert.Equal("Sender Score 91/100 (checked 12 Mar 2026 08:00 UTC).", steps.Single(s => s.Key == "sender-score").Note);
        Assert.Equal(DelistingStepState.Pending, steps.Single(s => s.Key == "authentication").State);
    }

    [Fact]
    public async Task BlocklistCase_ReadsTheListingFromTheLatestCheck()
    {
        var ip = await data.AddIpAsync();
        await data.AddCheckAsync(ip, "blocklist:zen.spamhaus.org", "203.0.113.9", CheckStatus.Fail, "Listed on Spamhaus ZEN: 127.0.0.2 SBL.",
            """{"readings": [{"answer": "127.0.0.2", "meaning": "SBL", "status": "fail"}]}""");

        var opened = await Cases.OpenAsync(ip, "blocklist:zen.spamhaus.org", Operator, Ct);

        var details = (await data.Reader.LoadAsync(opened.Id, Ct))!;
        Assert.Equal("127.0.0.2", details.Case.BlockCodes);
        Assert.Equal("Listed on Spamhaus ZEN: 127.0.0.2 SBL.", details.Case.Steps[0].Note);
        Assert.Equal(CheckStatus.Fail, details.ListCheck!.Status);
        await Cases.CompleteStepAsync(opened.Id, "listing", null, false, Operator, Ct);
        await Cases.CompleteStepAsync(opened.Id, "fix-causes", null, false, Operator, Ct);
        await Cases.CompleteStepAsync(opened.Id, "request-removal", "Requested on the Spamhaus checker", false, Operator, Ct);
        Assert.Equal("confirm-delisting", (await data.Reader.LoadAsync(opened.Id, Ct))!.Case.CurrentStepKey);
    }

    [Fact]
    public async Task GmailCase_SubmissionNeedsNoTicketAndHasNoDueTimes()
    {
        var ip = await data.AddIpAsync();
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Gmail, Operator, Ct);
        await AdvanceToAsync(opened.Id, "submit");

        await Cases.RecordSubmissionAsync(opened.Id, data.Clock.GetUtcNow(), null, Operator, Ct);

        var c = (await data.Reader.LoadAsync(opened.Id, Ct))!.Case;
        Assert.Equal(DelistingCaseState.Submitted, c.State);
        Assert.Empty(DelistingDeadline.Of(c));
        Assert.Equal("outcome", c.CurrentStepKey);
    }

    [Fact]
    public void Processes_HaveTheirStepsInOrderWithTheRightLinks()
    {
        var outlook = DelistingProcesses.For(DelistingProcesses.Outlook)!;
        Assert.Equal(
            ["find-error", "fix-causes", "sender-score", "authentication", "snds-jmrp", "prepare-request", "submit", "track-replies", "escalate", "outcome"],
            outlook.Steps.Select(s => s.Key));
        Assert.Equal(ProviderCodeCatalog.OutlookSenderSupportUrl, outlook.Step("prepare-request")!.Link);
        Assert.StartsWith("https://substrate.office.com/ip-domain-management-snds/", outlook.Step("snds-jmrp")!.Link, StringComparison.Ordinal);
        Assert.True(outlook.TicketRequired);
        Assert.Equal(new ReplyTimings(TimeSpan.FromHours(24), TimeSpan.FromHours(48), TimeSpan.FromHours(24)), outlook.Timings);

        var m365 = DelistingProcesses.For(DelistingProcesses.Microsoft365)!;
        Assert.Equal(["find-error", "fix-causes", "authentication", "prepare-request", "submit", "track-replies", "outcome"], m365.Steps.Select(s => s.Key));
        Assert.Equal("https://sender.office.com", m365.Step("prepare-request")!.Link);
        Assert.Contains("delist@messaging.microsoft.com", m365.Step("prepare-request")!.Guidance, StringComparison.Ordinal);
        Assert.Contains("5.7.511", m365.Summary, StringComparison.Ordinal);

        var gmail = DelistingProcesses.For(DelistingProcesses.Gmail)!;
        Assert.Equal(["find-error", "fix-causes", "authentication", "postmaster-tools", "sender-contact", "submit", "outcome"], gmail.Steps.Select(s => s.Key));
        Assert.Equal("https://support.google.com/mail/contact/gmail_bulk_sender_escalation", gmail.Step("sender-contact")!.Link);
        Assert.Equal("https://postmaster.google.com/", gmail.Step("postmaster-tools")!.Link);

        var yahoo = DelistingProcesses.For(DelistingProcesses.Yahoo)!;
        Assert.Equal(["find-error", "fix-causes", "authentication", "prepare-request", "submit", "track-replies", "outcome"], yahoo.Steps.Select(s => s.Key));
        Assert.Equal("https://senders.yahooinc.com/", yahoo.Step("prepare-request")!.Link);

        var zen = DelistingProcesses.For("blocklist:zen.spamhaus.org")!;
        Assert.Equal(["listing", "fix-causes", "request-removal", "confirm-delisting", "outcome"], zen.Steps.Select(s => s.Key));
        Assert.Equal(Core.Checks.Blocklists.BlocklistCatalogue.Find("zen.spamhaus.org")!.RemovalUrl, zen.Step("request-removal")!.Link);
        Assert.Null(DelistingProcesses.For("blocklist:not-a-list.example"));
    }
}
