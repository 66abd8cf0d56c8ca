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

    private static List<Refusal> Refusals(int count, DateTimeOffset at, string reason, string? status, string? provider = null, string? code = null,
        EvidenceSource source = EvidenceSource.Bounce, string? blocklist = null) =>
        Enumerable.Range(0, count).Select(i => new Refusal(at.AddMinutes(i), source, $"r{i}@example.net", provider, code, reason, status, false, blocklist,
            BatchId: source == EvidenceSource.Bounce ? 3 : null)).ToList();

    private static List<LogDeliveryHour> Delivered(int perDay, int days) =>
        Enumerable.Range(1, days).Select(d => new LogDeliveryHour(Now.AddDays(-d).AddMinutes(-Now.Minute), perDay)).ToList();

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
        var evidence = Evidence(e => e with { Refusals = Refusals(30, Now.AddDays(-2), "userunknown", "5.1.1") });
        Assert.Equal(["unknown-users", "high-bounce-rate"], Keys(evidence));
    }

    [Fact]
    public void Plan_WhenFewHardBouncesWithoutLogs_RaisesNothing() =>
        Assert.Empty(Keys(Evidence(e => e with { Refusals = Refusals(5, Now.AddDays(-2), "userunknown", "5.1.1") })));

    [Fact]
    public void VolumeJump_WhenNoEarlierTraffic_IsNotAJump()
    {
        var evidence = Evidence(e => e with { LogDays = [new(DateOnly.FromDateTime(Now.UtcDateTime), 5000, 5000, 0, 0)] });
        Assert.Null(VolumeCauses.VolumeJump(evidence));
    }

    [Fact]
    public void VolumeJump_WhenADayIsFourTimesTheAverage_FindsIt()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var days = Enumerable.Range(1, 7).Select(i => new LogDay(today.AddDays(-i), 250, 250, 0, 0)).Append(new LogDay(today, 1000, 1000, 0, 0)).ToList();
        var jump = VolumeCauses.VolumeJump(Evidence(e => e with { LogDays = days }));
        Assert.Equal(new VolumeCauses.Jump(today, 1000, 250), jump);
    }

    [Fact]
    public void LoginSpikes_WhenAnHourIsFarAboveTheMedian_ReportsOnlyThatHour()
    {
        var logins = Enumerable.Range(0, 10).Select(h => new LoginHour("bob", Now.AddHours(-h - 2), 4))
            .Append(new LoginHour("bob", Now.AddHours(-1), 60))
            .Append(new LoginHour("alice", Now.AddHours(-1), 19))
            .ToList();
        var spike = Assert.Single(AbuseCauses.LoginSpikes(logins));
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
    public void Verdict_OfABlockThatChangedCode_NamesTheFirstAndTheCurrentCodeWithTheCurrentMeaning()
    {
        var since = new DateTimeOffset(2026, 11, 27, 14, 2, 0, TimeSpan.Zero);

        var verdict = IpVerdict.Blocked("outlook.com", "SC-001", since, firstCode: "S3150");

        Assert.StartsWith("Blocked by Outlook.com since 27 Nov 14:02 UTC (S3150, now SC-001): ", verdict, StringComparison.Ordinal);
        Assert.EndsWith(IpVerdict.Blocked("outlook.com", "SC-001", since)[("Blocked by Outlook.com since 27 Nov 14:02 UTC (SC-001)".Length)..], verdict, StringComparison.Ordinal);
        Assert.Equal(IpVerdict.Blocked("outlook.com", "S3150", since), IpVerdict.Blocked("outlook.com", "S3150", since, firstCode: "S3150"));
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

    private static IpStatusSnapshot Status(IpEvidence evidence)
    {
        var row = new IpStatusSnapshot { Verdict = "" };
        var planned = RemediationRules.Plan(evidence);
        IpStatusRules.Apply(row, evidence, planned, planned.Count);
        return row;
    }

    [Fact]
    public void Plan_WhenThirtySixLoggedS3150Blocks_RaisesTheProviderBlockNotTheBounceRate()
    {
        var evidence = Evidence(e => e with
        {
            HasLogs = true,
            LogDeliveries = Delivered(100, 3),
            Refusals = Refusals(36, Now.AddHours(-5), "blocked", "5.7.1", "outlook.com", "S3150", EvidenceSource.LogLine),
            Blocks = [new("outlook.com", "S3150", Now.AddHours(-5), Now.AddHours(-4), 36) { FirstSource = EvidenceSource.LogLine }],
        });
        var keys = Keys(evidence);
        Assert.Contains("provider-block:outlook.com", keys);
        Assert.DoesNotContain("high-bounce-rate", keys);
        Assert.DoesNotContain("unknown-users", keys);
        Assert.Equal(IpHealth.Blocked, Status(evidence).Health);
    }

    [Fact]
    public void Plan_WhenAThreeDayBurstOfUnknownUsersInTheLog_RaisesUnknownUsersThoughThe30DayShareIsLow()
    {
        // 40 days of clean traffic (1000 a day), then 60 of 300 messages in three days refused 5.1.1 by Gmail.
        var evidence = Evidence(e => e with
        {
            HasLogs = true,
            LogDeliveries = [.. Delivered(1000, 30).Where(h => h.Hour < Now.AddDays(-3)), .. Delivered(80, 3)],
            Refusals = Refusals(60, Now.AddDays(-2), "userunknown", "5.1.1", "gmail", "5.1.1", EvidenceSource.LogLine),
        });
        var item = Assert.Single(RemediationRules.Plan(evidence), i => i.Key == "unknown-users");
        Assert.StartsWith("60 of 300 messages in the last 3 days", item.Evidence[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WhenARefusalNamesSpamhaus_RaisesTheListingWithItsRemovalRouteBeforeAnyCheck()
    {
        var evidence = Evidence(e => e with
        {
            Refusals = Refusals(4, Now.AddHours(-3), "blocked", "5.7.1", blocklist: "zen.spamhaus.org"),
        });
        var item = Assert.Single(RemediationRules.Plan(evidence), i => i.Key == "blocklist:zen.spamhaus.org");
        Assert.Equal(RemediationVerification.Check, item.Verification);
        Assert.Contains(item.Evidence, e => e.Href == "https://check.spamhaus.org/");
        var status = Status(evidence);
        Assert.Equal(IpHealth.Listed, status.Health);
        Assert.Equal("Listed on Spamhaus ZEN.", status.Verdict);
        Assert.Equal(4, status.Bounces24h);
    }

    [Fact]
    public void Status_WhenTheListsCheckPassedAfterTheRefusals_IsNoLongerListed()
    {
        var evidence = Evidence(e => e with
        {
            Refusals = Refusals(4, Now.AddHours(-3), "blocked", "5.7.1", blocklist: "zen.spamhaus.org"),
            Checks = [new("blocklist:zen.spamhaus.org", "198.51.100.7", CheckStatus.Pass, "Not listed.", Now.AddHours(-1))],
        });
        Assert.NotEqual(IpHealth.Listed, Status(evidence).Health);
    }

    [Fact]
    public void Status_WhenOnlyCleanLogs_IsHealthyAndDoesNotAskForLogs()
    {
        var status = Status(Evidence(e => e with { HasLogs = true, LogDeliveries = Delivered(500, 30) }));
        Assert.Equal(IpHealth.Healthy, status.Health);
        Assert.DoesNotContain("log", status.NextStep!.Replace("keep uploading bounces and logs", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Status_WhenOnlyComplaints_NeedsAttention()
    {
        var status = Status(Evidence(e => e with { Complaints = new(6, Now.AddDays(-2), Now.AddDays(-1), 1) }));
        Assert.Equal(IpHealth.AtRisk, status.Health);
        Assert.Contains("spam complaints", status.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_WhenOnlyOldBouncesNameTheIp_IsSeenInBouncesNotHealthy()
    {
        var status = Status(Evidence(e => e with { HasAnyBounce = true, Refusals = Refusals(1, Now.AddDays(-20), "mailboxfull", "4.2.2") }));
        Assert.Equal(IpHealth.SeenInBounces, status.Health);
        Assert.Contains("Check now", status.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_WhenANewIpIsThrottled_IsNotHealthy()
    {
        var evidence = Evidence(e => e with
        {
            FirstActivityAt = Now.AddDays(-5),
            HasLogs = true,
            LogDeliveries = Delivered(100, 5),
            Refusals = [.. Refusals(20, Now.AddHours(-8), "badreputation", "4.7.650", "outlook.com", "4.7.650", EvidenceSource.LogLine).Select(r => r with { Delay = true })],
            Codes = [Code("outlook.com", "4.7.650", 20, fromLog: true)],
        });
        var status = Status(evidence);
        Assert.Equal(IpHealth.AtRisk, status.Health);
        Assert.StartsWith("Throttled by Outlook.com since", status.Verdict, StringComparison.Ordinal);
        Assert.Contains("new-ip", Keys(evidence));
    }

    [Fact]
    public void Merge_WhenALogLineAndItsDsnReportTheSameRefusal_CountsItOnce()
    {
        var at = Now.AddHours(-2);
        var lines = new[]
        {
            new LogRefusalLine(at.AddHours(-1), "mx1", "ABC123", "<m1@example.com>", "a@outlook.com", true, "outlook.com", "4.7.650", "badreputation", "4.7.650", null, "451 4.7.650 ..."),
            new LogRefusalLine(at, "mx1", "ABC123", "<m1@example.com>", "a@outlook.com", false, "outlook.com", "S3150", "blocked", "5.7.1", null, "550 5.7.1 ... (S3150)"),
            new LogRefusalLine(at, "mx1", "DEF456", null, "b@outlook.com", false, "outlook.com", "S3150", "blocked", "5.7.1", null, "550 5.7.1 ... (S3150)"),
        };
        var reports = new[]
        {
            // the DSN of the first message: same Message-ID; its Arrival-Date would be an hour earlier, its own time is the refusal's
            new BounceReportRow(at.AddMinutes(1), "A@outlook.com", "m1@example.com", false, "outlook.com", "S3150", "blocked", "5.7.1", "550 5.7.1 (S3150)", 9, 90),
            // the second: no Message-ID, a minute after the line
            new BounceReportRow(at.AddMinutes(1), "b@outlook.com", null, false, "outlook.com", "S3150", "blocked", "5.7.1", "550 5.7.1 (S3150)", 9, 91),
            // another message, only in bounces
            new BounceReportRow(at.AddMinutes(5), "c@outlook.com", null, false, "outlook.com", "S3150", "blocked", "5.7.1", "550 5.7.1 (S3150)", 9, 92),
        };
        var refusals = RefusalMerge.Merge(lines, reports);
        Assert.Equal(4, refusals.Count); // one deferral, three refusals
        Assert.Equal(3, refusals.Count(r => !r.Delay));
        var first = refusals.First(r => !r.Delay);
        Assert.Equal((at, EvidenceSource.LogLine, true), (first.At, first.Source, first.AlsoBounce));
    }
}
