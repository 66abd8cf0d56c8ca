using Deliverability.Testing;
using Deliverability.Core.Checks;
using Deliverability.Core.Delisting;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Delisting;

/// <summary>
/// Issue 11, statements 1 and 5: the request text tells what is still open, and steps that assert a fact complete only when the
/// evidence agrees (or by a recorded override); the dates entered lie between the case's opening and now.
/// </summary>
public class DelistingClaimsTests(DelistingDatabase data) : IClassFixture<DelistingDatabase>
{
    private const string Operator = "operator@example.com";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] IncidentItems =
    [
        "Secure the compromised SMTP account newsletter@example.com",
        "Fix SPF for example.com",
        "Fix DKIM for example.com",
        "Publish DMARC for example.com",
        "Publish a PTR record",
        "Make the PTR resolve back to the IP",
        "Stop the complaint spike",
        "Slow down after the block",
    ];

    private DelistingCases Cases => data.Cases;

    /// <summary>The incident of the issue: 8 items open (a hijacked account, SPF, DKIM, DMARC and PTR failing), every check failing, no score.</summary>
    private async Task<(long Ip, long Case)> IncidentCaseAsync()
    {
        var ip = await data.AddIpAsync();
        await data.AddBounceAsync(ip, "outlook-s3150", "outlook.com", "S3150", DelistingDatabase.Start.AddDays(-1));
        for (var i = 0; i < IncidentItems.Length; i++)
        {
            await data.AddRemediationItemAsync(ip, $"item-{i}", done: false, IncidentItems[i]);
        }

        await data.AddAuthenticationChecksAsync(ip, CheckStatus.Fail);
        await data.AddCheckAsync(ip, SenderScoreCheck.Name, "1.113.0.203", CheckStatus.Unknown, "No Sender Score: not enough recent volume.", """{"score": null}""");
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, Operator, Ct);
        return (ip, opened.Id);
    }

    private async Task MoveToAsync(long caseId, string key)
    {
        while ((await data.Reader.LoadAsync(caseId, Ct))!.Case.CurrentStepKey is { } current && current != key)
        {
            await Cases.SkipStepAsync(caseId, current, null, Operator, Ct);
        }
    }

    [Fact]
    public async Task RequestText_WithEightItemsOpen_NamesEachAndNeverSaysNoProblemWasFound()
    {
        var (_, caseId) = await IncidentCaseAsync();

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;

        foreach (var text in new[] { details.RequestText, DelistingRequestText.Escalation(details.IpAddress, details.Process, details.Case, details.Evidence) })
        {
            Assert.DoesNotContain("no open problem", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("no open item", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Still open on our side (8 items", text, StringComparison.Ordinal);
            Assert.All(IncidentItems, title => Assert.Contains($"- {title}\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal));
            Assert.Contains("SPF, DKIM, DMARC and PTR pass: not confirmed. 0 of 5 checks pass", text, StringComparison.Ordinal);
        }

        Assert.Equal(8, details.RequestWarnings.Count(w => w.StartsWith("Still open: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RequestText_WhenTheIpWasNeverChecked_DoesNotSayTheChecklistIsClear()
    {
        var ip = await data.AddIpAsync();
        await data.AddBounceAsync(ip, "outlook-s3150", "outlook.com", "S3150", DelistingDatabase.Start.AddDays(-1));
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, Operator, Ct);

        var details = (await data.Reader.LoadAsync(opened.Id, Ct))!;

        Assert.DoesNotContain("no open", details.RequestText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("we have not run our DNS checks", details.RequestText, StringComparison.Ordinal);
        Assert.NotEmpty(details.RequestWarnings);
    }

    [Fact]
    public async Task AuthenticationStep_WithNoCheckPassing_IsRefusedUntilOverriddenWithAReason()
    {
        var (_, caseId) = await IncidentCaseAsync();
        await MoveToAsync(caseId, "authentication");

        var refused = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(caseId, "authentication", null, false, Operator, Ct));
        Assert.Contains("0 of 5 checks pass", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.OverrideStepAsync(caseId, "authentication", "  ", Operator, Ct));
        Assert.Equal("authentication", (await data.Reader.LoadAsync(caseId, Ct))!.Case.CurrentStepKey);

        await Cases.OverrideStepAsync(caseId, "authentication", "Fixed the records an hour ago; the checks run tonight", "alice@example.com", Ct);

        var details = (await data.Reader.LoadAsync(caseId, Ct))!;
        var step = details.Case.Steps.Single(s => s.Key == "authentication");
        Assert.Equal(DelistingStepState.Overridden, step.State);
        Assert.Equal("alice@example.com", step.DoneBy);
        Assert.Equal(data.Clock.GetUtcNow(), step.DoneAt);
        Assert.Equal("Fixed the records an hour ago; the checks run tonight", step.OverrideReason);
        Assert.StartsWith("Evidence at the time: 0 of 5 checks pass", step.Note, StringComparison.Ordinal);
        Assert.Contains(details.Case.Events, e => e.User == "alice@example.com" && e.What.StartsWith("overrode \"SPF, DKIM, DMARC and PTR pass\": Fixed the records", StringComparison.Ordinal));
        Assert.Contains("- SPF, DKIM, DMARC and PTR pass: overridden by alice@example.com", details.RequestText, StringComparison.Ordinal);
        Assert.DoesNotContain("SPF, DKIM, DMARC and PTR pass: yes", details.RequestText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticationStep_WhenEveryCheckPasses_CompletesWithTheEvidenceAsNote()
    {
        var ip = await data.AddIpAsync();
        await data.AddAuthenticationChecksAsync(ip, CheckStatus.Pass);
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Gmail, Operator, Ct);
        await MoveToAsync(opened.Id, "authentication");

        await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.OverrideStepAsync(opened.Id, "authentication", "just because", Operator, Ct));
        await Cases.CompleteStepAsync(opened.Id, "authentication", "Checked by hand too", false, Operator, Ct);

        var step = (await data.Reader.LoadAsync(opened.Id, Ct))!.Case.Steps.Single(s => s.Key == "authentication");
        Assert.Equal(DelistingStepState.Done, step.State);
        Assert.Equal("All 5 checks pass (checked 12 Mar 2026 08:00 UTC). Checked by hand too", step.Note);
    }

    [Fact]
    public async Task AuthenticationStep_WithAMissingDkimResult_IsNotVerified()
    {
        var ip = await data.AddIpAsync();
        await data.AddCheckAsync(ip, "spf", "example.com", CheckStatus.Pass, "SPF passes");
        await data.AddCheckAsync(ip, "dmarc", "example.com", CheckStatus.Pass, "DMARC published");
        await data.AddCheckAsync(ip, "ptr", "203.0.113.1", CheckStatus.Pass, "PTR mail.example.com");
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Gmail, Operator, Ct);
        await MoveToAsync(opened.Id, "authentication");

        var refused = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(opened.Id, "authentication", null, false, Operator, Ct));

        Assert.Contains("no DKIM result", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ClaimState.Unknown, (await data.Reader.LoadAsync(opened.Id, Ct))!.Claims[DelistingStepKind.Authentication].State);
    }

    [Theory]
    [InlineData(null, ClaimState.Unknown)]
    [InlineData(70, ClaimState.Contradicted)]
    [InlineData(85, ClaimState.Contradicted)]
    [InlineData(91, ClaimState.Verified)]
    public async Task SenderScoreStep_CompletesOnlyAboveEightyFive(int? score, ClaimState expected)
    {
        var ip = await data.AddIpAsync();
        await data.AddCheckAsync(ip, SenderScoreCheck.Name, "x", score > 85 ? CheckStatus.Pass : CheckStatus.Unknown, score is null ? "No Sender Score." : $"Sender Score {score}/100",
            score is null ? """{"score": null}""" : $$"""{"score": {{score}}}""");
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, Operator, Ct);
        await MoveToAsync(opened.Id, "sender-score");

        var details = (await data.Reader.LoadAsync(opened.Id, Ct))!;
        Assert.Equal(expected, details.Claims[DelistingStepKind.SenderScore].State);
        if (expected == ClaimState.Verified)
        {
            await Cases.CompleteStepAsync(opened.Id, "sender-score", null, false, Operator, Ct);
        }
        else
        {
            await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(opened.Id, "sender-score", null, false, Operator, Ct));
        }

        var step = (await data.Reader.LoadAsync(opened.Id, Ct))!.Case.Steps.Single(s => s.Key == "sender-score");
        Assert.Equal(expected == ClaimState.Verified ? DelistingStepState.Done : DelistingStepState.Pending, step.State);
    }

    [Fact]
    public async Task SenderScoreStep_WithoutAnyCheck_IsUnknown()
    {
        var ip = await data.AddIpAsync();
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, Operator, Ct);
        await MoveToAsync(opened.Id, "sender-score");

        var refused = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(opened.Id, "sender-score", null, false, Operator, Ct));

        Assert.Contains("Sender Score unknown: the IP has not been checked.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SndsStep_IsVerifiedBySndsDataForTheIp()
    {
        var ip = await data.AddIpAsync();
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Outlook, Operator, Ct);
        await MoveToAsync(opened.Id, "snds-jmrp");
        await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.CompleteStepAsync(opened.Id, "snds-jmrp", null, false, Operator, Ct));

        await data.AddSndsDayAsync(ip);
        await Cases.CompleteStepAsync(opened.Id, "snds-jmrp", null, false, Operator, Ct);

        var step = (await data.Reader.LoadAsync(opened.Id, Ct))!.Case.Steps.Single(s => s.Key == "snds-jmrp");
        Assert.Equal(DelistingStepState.Done, step.State);
        Assert.Equal("SNDS data for this IP is imported (1 day).", step.Note);
    }

    [Fact]
    public async Task FixCauses_MovedPastOpenItems_ShowsAsOverriddenNotDone()
    {
        var (_, caseId) = await IncidentCaseAsync();
        await MoveToAsync(caseId, "fix-causes");

        await Cases.CompleteStepAsync(caseId, "fix-causes", null, confirmOpenItems: true, Operator, Ct);

        var step = (await data.Reader.LoadAsync(caseId, Ct))!.Case.Steps.Single(s => s.Key == "fix-causes");
        Assert.Equal(DelistingStepState.Overridden, step.State);
        Assert.Equal("moved on with 8 remediation items still open (confirmed)", step.OverrideReason);
    }

    [Fact]
    public async Task RecordSubmission_DatedBeforeTheCaseOrInTheFuture_IsRefused()
    {
        var ip = await data.AddIpAsync();
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Gmail, Operator, Ct);
        await MoveToAsync(opened.Id, "submit");
        var now = data.Clock.GetUtcNow();

        var early = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.RecordSubmissionAsync(opened.Id, now.AddDays(-2), null, Operator, Ct));
        var future = await Assert.ThrowsAsync<DelistingCaseException>(() => Cases.RecordSubmissionAsync(opened.Id, now.AddMinutes(3), null, Operator, Ct));

        Assert.Equal("The submission date is before the case was opened (12 Mar 2026 08:00 UTC).", early.Message);
        Assert.StartsWith("The submission date is in the future", future.Message, StringComparison.Ordinal);
        Assert.Equal(DelistingCaseState.Open, (await data.Reader.LoadAsync(opened.Id, Ct))!.Case.State);
    }

    [Fact]
    public async Task RecordSubmission_InTheMinuteTheCaseWasOpened_IsAccepted()
    {
        var clock = new FakeTimeProvider(DelistingDatabase.Start.AddSeconds(40));
        var cases = new DelistingCases(data, clock, new RecordedJobs().DiagnosisRequests);
        var ip = await data.AddIpAsync();
        var opened = await cases.OpenAsync(ip, DelistingProcesses.Gmail, Operator, Ct);
        while ((await data.Reader.LoadAsync(opened.Id, Ct))!.Case.CurrentStepKey is { } current && current != "submit")
        {
            await cases.SkipStepAsync(opened.Id, current, null, Operator, Ct);
        }

        // The page enters minutes: 08:00 for a case opened at 08:00:40.
        await cases.RecordSubmissionAsync(opened.Id, DelistingDatabase.Start, null, Operator, Ct);

        Assert.Equal(DelistingCaseState.Submitted, (await data.Reader.LoadAsync(opened.Id, Ct))!.Case.State);
    }

    [Fact]
    public async Task RecordReplies_InTheFutureOrBeforeTheSubmission_IsRefused()
    {
        var ip = await data.AddIpAsync();
        var opened = await Cases.OpenAsync(ip, DelistingProcesses.Yahoo, Operator, Ct);
        await MoveToAsync(opened.Id, "submit");
        var later = new FakeTimeProvider(data.Clock.GetUtcNow().AddHours(5));
        var cases = new DelistingCases(data, later, new RecordedJobs().DiagnosisRequests);
        await cases.RecordSubmissionAsync(opened.Id, data.Clock.GetUtcNow().AddHours(2), null, Operator, Ct);

        var future = await Assert.ThrowsAsync<DelistingCaseException>(() => cases.RecordRepliesAsync(opened.Id, later.GetUtcNow().AddHours(1), null, null, Operator, Ct));
        var early = await Assert.ThrowsAsync<DelistingCaseException>(() => cases.RecordRepliesAsync(opened.Id, null, data.Clock.GetUtcNow().AddHours(1), true, Operator, Ct));
        var beforeCase = await Assert.ThrowsAsync<DelistingCaseException>(() => cases.RecordRepliesAsync(opened.Id, data.Clock.GetUtcNow().AddDays(-1), null, null, Operator, Ct));

        Assert.StartsWith("The answer time is in the future", future.Message, StringComparison.Ordinal);
        Assert.StartsWith("An answer cannot come before the submission", early.Message, StringComparison.Ordinal);
        Assert.StartsWith("The answer time is before the case was opened", beforeCase.Message, StringComparison.Ordinal);
        var c = (await data.Reader.LoadAsync(opened.Id, Ct))!.Case;
        Assert.Null(c.FirstReplyAt);
        Assert.Null(c.DecisionAt);
    }

    [Fact]
    public async Task CaseAndChecklist_ReadTheSameLatestRun()
    {
        var ip = await data.AddIpAsync();
        await data.AddCheckAsync(ip, "blocklist:zen.spamhaus.org", "203.0.113.9", CheckStatus.Fail, "Listed", age: TimeSpan.FromHours(-2));
        await data.AddCheckAsync(ip, "blocklist:zen.spamhaus.org", "203.0.113.9", CheckStatus.Pass, "Not listed");
        await data.AddCheckAsync(ip, "spf", "example.com", CheckStatus.Pass, "SPF passes", age: TimeSpan.FromHours(-2));
        var opened = await Cases.OpenAsync(ip, "blocklist:zen.spamhaus.org", Operator, Ct);

        var details = (await data.Reader.LoadAsync(opened.Id, Ct))!;

        Assert.Equal(CheckStatus.Pass, details.ListCheck!.Status);
        // The SPF result belongs to an older run: the newest run did not report it, so the case does not either.
        Assert.Empty(details.AuthenticationChecks);
        Assert.Equal(data.Clock.GetUtcNow(), details.Evidence.ChecksRunAt);
    }
}
