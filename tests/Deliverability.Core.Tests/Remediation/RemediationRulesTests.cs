using Deliverability.Core.Checks;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;

namespace Deliverability.Core.Tests.Remediation;

public class RemediationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static IpEvidence Evidence(Func<IpEvidence, IpEvidence>? change = null)
    {
        var evidence = new IpEvidence { SendingIpId = 7, Now = Now, FirstActivityAt = Now.AddDays(-200) };
        return change is null ? evidence : change(evidence);
    }

    private static CodeSighting Code(string provider, string code, int count = 1, bool fromLog = false) =>
        new(provider, code, count, Now.AddDays(-1), Now.AddDays(-1), fromLog, fromLog ? null : 3);

    private static List<string> Keys(IpEvidence evidence) => RemediationRules.Plan(evidence).Select(i => i.Key).ToList();

    [Fact]
    public void Plan_WithoutEvidence_RaisesNothing() => Assert.Empty(RemediationRules.Plan(Evidence()));

    [Fact]
    public void Plan_WhenFewComplaintsAndNoVolume_DoesNotRaiseComplaints() =>
        Assert.Empty(Keys(Evidence(e => e with { Complaints = new(RemediationRules.ComplaintCount - 1, Now, Now, 1) })));

    [Fact]
    public void Plan_WhenComplaintRateAboveThreshold_RaisesComplaintsEvenWithFewComplaints()
    {
        var evidence = Evidence(e => e with
        {
            Complaints = new(2, Now, Now, 1),
            LogDays = [new(DateOnly.FromDateTime(Now.UtcDateTime), Attempts: 500, Sent: 500, Deferred: 0, Bounced: 0)],
        });
        var item = Assert.Single(RemediationRules.Plan(evidence));
        Assert.Equal("spam-complaints", item.Key);
        Assert.Contains("0.40 %", item.Evidence[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WhenSc004Bounce_RaisesComplaintsWithUploadLink()
    {
        var item = Assert.Single(RemediationRules.Plan(Evidence(e => e with { Codes = [Code("outlook.com", "SC-004")] })));
        Assert.Equal(RemediationCause.SpamComplaints, item.Cause);
        Assert.Equal("/uploads/3", item.Evidence[0].Href);
    }

    [Fact]
    public void Plan_WhenThrottledButOldAndBusy_DoesNotRaiseWarmUp()
    {
        var evidence = Evidence(e => e with
        {
            Codes = [Code("outlook.com", "4.7.650", 3)],
            LogDays = [new(DateOnly.FromDateTime(Now.AddDays(-2).UtcDateTime), 5000, 5000, 0, 0)],
        });
        Assert.Equal(["rate-limits"], Keys(evidence));
    }

    [Fact]
    public void Plan_WhenThrottledAndYoung_RaisesWarmUpLast()
    {
        var evidence = Evidence(e => e with { FirstActivityAt = Now.AddDays(-10), Codes = [Code("outlook.com", "4.7.650", 3)] });
        Assert.Equal(["rate-limits", "new-ip"], Keys(evidence));
    }

    [Fact]
    public void Plan_WhenHardBouncesExceedTenPercentOfReportsWithoutLogs_RaisesHighBounceRate()
    {
        var evidence = Evidence(e => e with { Reasons = [new("userunknown", false, 30, 30, Now, 1)] });
        Assert.Equal(["unknown-users", "high-bounce-rate"], Keys(evidence));
    }

    [Fact]
    public void Plan_WhenFewHardBouncesWithoutLogs_RaisesNothing() =>
        Assert.Empty(Keys(Evidence(e => e with { Reasons = [new("userunknown", false, 5, 5, Now, 1)] })));

    [Fact]
    public void VolumeJump_WhenNoEarlierTraffic_IsNotAJump()
    {
        var evidence = Evidence(e => e with { LogDays = [new(DateOnly.FromDateTime(Now.UtcDateTime), 5000, 5000, 0, 0)] });
        Assert.Null(RemediationRules.VolumeJump(evidence));
    }

    [Fact]
    public void VolumeJump_WhenADayIsFourTimesTheAverage_FindsIt()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var days = Enumerable.Range(1, 7).Select(i => new LogDay(today.AddDays(-i), 250, 250, 0, 0)).Append(new LogDay(today, 1000, 1000, 0, 0)).ToList();
        var jump = RemediationRules.VolumeJump(Evidence(e => e with { LogDays = days }));
        Assert.Equal(new RemediationRules.Jump(today, 1000, 250), jump);
    }

    [Fact]
    public void LoginSpikes_WhenAnHourIsFarAboveTheMedian_ReportsOnlyThatHour()
    {
        var logins = Enumerable.Range(0, 10).Select(h => new LoginHour("bob", Now.AddHours(-h - 2), 4))
            .Append(new LoginHour("bob", Now.AddHours(-1), 60))
            .Append(new LoginHour("alice", Now.AddHours(-1), 19))
            .ToList();
        var spike = Assert.Single(RemediationRules.LoginSpikes(logins));
        Assert.Equal(("bob", 60, 4.0), (spike.User, spike.Succeeded, spike.Median));
    }

    [Fact]
    public void Plan_WhenBlocklistAndReputationZonesAnswer_RaisesOnlyTheListing()
    {
        var evidence = Evidence(e => e with
        {
            Checks =
            [
                new("blocklist:zen.spamhaus.org", "192.0.2.7", CheckStatus.Fail, "Listed on Spamhaus ZEN: 127.0.0.3 SBL CSS.", Now),
                new("blocklist:rep.mailspike.net", "192.0.2.7", CheckStatus.Fail, "reputation: worst", Now),
                new("blocklist:dnsbl-2.uceprotect.net", "192.0.2.7", CheckStatus.Warn, "level 2", Now),
            ],
        });
        var item = Assert.Single(RemediationRules.Plan(evidence));
        Assert.Equal(("blocklist:zen.spamhaus.org", "Get off Spamhaus ZEN"), (item.Key, item.Title));
        Assert.Contains(item.Evidence, x => x.Href == "https://check.spamhaus.org/");
    }

    [Fact]
    public void CheckVerdict_WhenAnyCheckFails_IsFailingAndWhenUnknown_IsUndecided()
    {
        CheckSighting Ptr(string check, CheckStatus status) => new(check, "192.0.2.7", status, "", Now);
        Assert.Equal((false, Now), RemediationRules.CheckVerdict("ptr", [Ptr("ptr", CheckStatus.Pass), Ptr("fcrdns", CheckStatus.Fail)]));
        Assert.Equal((null, null), RemediationRules.CheckVerdict("ptr", [Ptr("ptr", CheckStatus.Pass), Ptr("fcrdns", CheckStatus.Unknown)]));
        Assert.Equal((true, Now), RemediationRules.CheckVerdict("ptr", [Ptr("ptr", CheckStatus.Warn), Ptr("fcrdns", CheckStatus.Pass)]));
        Assert.Equal((null, null), RemediationRules.CheckVerdict("spam-complaints", [Ptr("ptr", CheckStatus.Fail)]));
    }

    [Fact]
    public void ChecklistUpdate_WhenAManualItemIsNoLongerPlanned_KeepsItsTick()
    {
        var item = new RemediationItem
        {
            Key = "spam-complaints", Title = "t", Action = "a", VerifiedBy = "v", Verification = RemediationVerification.Manual,
            StillEvident = true, Done = true, DoneBy = "op", DoneAt = Now.AddDays(-1), UpdatedAt = Now.AddDays(-1),
        };
        var added = ChecklistUpdate.Apply(7, [item], [], [], Now);
        Assert.Empty(added);
        Assert.Equal((true, "op", false, Now), (item.Done, item.DoneBy, item.StillEvident, item.UpdatedAt));
    }

    [Theory]
    [InlineData("outlook.com", "S3150", true)]
    [InlineData("outlook.com", "SC-004", true)]
    [InlineData("microsoft365", "5.7.606", true)]
    [InlineData("microsoft365", "5.7.511", true)]
    [InlineData("gmail", "5.7.28", true)]
    [InlineData("yahoo", "TSS09", true)]
    [InlineData("outlook.com", "4.7.650", false)]
    [InlineData("outlook.com", "RP-001", false)]
    [InlineData("microsoft365", "5.7.513", false)]
    [InlineData("yahoo", "PH01", false)]
    public void IsBlockCode_ReadsTheCatalogue(string provider, string code, bool block) =>
        Assert.Equal(block, IpStatusRules.IsBlockCode(provider, code));

    [Fact]
    public void CurrentBlock_WhenEvidenceHasAGapLongerThanAWeek_StartsTheEpisodeAfterTheGap()
    {
        var evidence = Evidence(e => e with
        {
            Blocks =
            [
                new("outlook.com", "S3150", Now.AddDays(-40), Now.AddDays(-40), 1),
                new("outlook.com", "S3150", Now.AddDays(-6), Now.AddDays(-6), 1),
                new("outlook.com", "S3150", Now.AddDays(-1), Now.AddDays(-1), 2),
            ],
        });
        Assert.Equal(new IpStatusRules.Block("outlook.com", "S3150", Now.AddDays(-6)), IpStatusRules.CurrentBlock(evidence));
    }

    [Fact]
    public void Verdict_ForEachHealth_IsOneSentence()
    {
        Assert.Equal("Blocked by Microsoft 365 since 27 Nov 14:02 UTC (5.7.606): the IP is on Microsoft 365's banned-sender list.",
            IpVerdict.Blocked("microsoft365", "5.7.606", new DateTimeOffset(2026, 11, 27, 14, 2, 0, TimeSpan.Zero)));
        Assert.Equal("Listed on Spamhaus ZEN and SpamCop.", IpVerdict.Sentence(IpHealth.Listed, null, null, null, ["Spamhaus ZEN", "SpamCop"], []));
        Assert.Equal("Authentication problems: the SPF and DMARC checks fail.", IpVerdict.Sentence(IpHealth.AuthenticationProblems, null, null, null, [], ["spf", "dmarc"]));
        Assert.Equal("Fix the 3 open checklist items, then open an Outlook.com delisting case.", IpVerdict.NextStep(IpHealth.Blocked, "outlook.com", 3, false, []));
        Assert.Equal("Fix the open checklist item, then open a Gmail delisting case.", IpVerdict.NextStep(IpHealth.Blocked, "gmail", 1, false, []));
    }
}
