using Deliverability.Core.Alerts;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;

namespace Deliverability.Core.Tests.Alerts;

public class AlertDetectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Since = new(2026, 3, 10, 9, 15, 0, TimeSpan.Zero);

    private static IpEvidence Evidence(params BlockSighting[] blocks) => new()
    {
        SendingIpId = 7, Now = Now, Blocks = blocks,
        Codes = blocks.Select(b => new CodeSighting(b.Provider, b.Code, b.Count, b.First, b.Last, false, null)).ToList(),
    };

    private static IpStatusSnapshot Row(string? provider, string? code = null, DateTimeOffset? since = null) =>
        new() { SendingIpId = 7, Verdict = "", BlockedBy = provider, BlockCode = code, BlockedSince = since };

    [Fact]
    public void Diagnosis_WhenTheRowNamesANewProvider_IsOneBlockedEventWithTheVerdictAndItsCodeCovered()
    {
        var events = AlertDetection.Diagnosis(PreviousBlock.Of(null), Row("outlook.com", "S3150", Since),
            Evidence(new BlockSighting("outlook.com", "S3150", Since, Since.AddHours(1), 3)), "203.0.113.5");

        var (blocked, state) = Assert.Single(events, e => e.Event.Kind == AlertEventKind.IpBlocked);
        Assert.Equal(AlertEventState.New, state);
        Assert.Equal("Blocked by Outlook.com: 203.0.113.5", blocked.Title);
        Assert.StartsWith("Blocked by Outlook.com since 10 Mar 09:15 UTC (S3150): ", blocked.Summary, StringComparison.Ordinal);
        Assert.Equal("ip-blocked:7:outlook.com:2026-03-10T09:15:00.0000000Z", blocked.Key);
        Assert.Equal("/ips/7", blocked.Link);
        Assert.Equal(AlertEventState.Covered, Assert.Single(events, e => e.Event.Kind == AlertEventKind.NewProviderCode).State);
    }

    [Fact]
    public void Diagnosis_WhenTheSameProviderStillBlocks_RecordsNoBlockOrUnblock()
    {
        var events = AlertDetection.Diagnosis(new PreviousBlock("outlook.com", Since), Row("outlook.com", "S3150", Since),
            Evidence(new BlockSighting("outlook.com", "S3150", Since, Since.AddHours(1), 3)), "203.0.113.5");

        Assert.DoesNotContain(events, e => e.Event.Kind is AlertEventKind.IpBlocked or AlertEventKind.IpUnblocked);
        // The code is offered again, but its key is the one recorded before: the database keeps one.
        Assert.Equal("provider-code:7:outlook.com:s3150", Assert.Single(events).Event.Key);
    }

    [Fact]
    public void Diagnosis_WhenTheBlockEvidenceAgedOut_IsAnUnblockedEventSayingWhy()
    {
        var old = Now.AddDays(-9);
        var events = AlertDetection.Diagnosis(new PreviousBlock("outlook.com", old), Row(null),
            Evidence(new BlockSighting("outlook.com", "S3150", old, old.AddHours(2), 3)), "203.0.113.5");

        var (unblocked, _) = Assert.Single(events, e => e.Event.Kind == AlertEventKind.IpUnblocked);
        Assert.Equal("No longer blocked by Outlook.com: 203.0.113.5", unblocked.Title);
        Assert.Equal("203.0.113.5 was blocked by Outlook.com since 1 Mar 12:00 UTC; no block evidence from Outlook.com in the last 7 days.", unblocked.Summary);
    }

    [Theory]
    [InlineData("blocklist:zen.spamhaus.org", CheckStatus.Pass, CheckStatus.Fail, AlertEventKind.BlocklistListed)]
    [InlineData("blocklist:zen.spamhaus.org", CheckStatus.Fail, CheckStatus.Pass, AlertEventKind.BlocklistDelisted)]
    [InlineData("spf", CheckStatus.Pass, CheckStatus.Fail, AlertEventKind.CheckFailing)]
    [InlineData("ptr", CheckStatus.Pass, CheckStatus.Fail, AlertEventKind.CheckFailing)]
    [InlineData("spf", CheckStatus.Fail, CheckStatus.Pass, null)]
    [InlineData("spf", CheckStatus.Warn, CheckStatus.Fail, null)]
    [InlineData("fcrdns", CheckStatus.Pass, CheckStatus.Fail, null)]
    [InlineData("mx", CheckStatus.Pass, CheckStatus.Fail, null)]
    public void CheckChange_IsAnEventOnlyForListingsAndAuthenticationPassToFail(string check, CheckStatus from, CheckStatus to, AlertEventKind? expected)
    {
        var change = new CheckChange { SendingIpId = 7, RunId = 3, Check = check, Target = "example.com", FromStatus = from, ToStatus = to, At = Now, Summary = "s" };

        Assert.Equal(expected, AlertDetection.CheckChange(change, "203.0.113.5")?.Kind);
    }

    [Fact]
    public void CheckChange_Listed_NamesTheListAndKeysByRunCheckAndTarget()
    {
        var change = new CheckChange
        {
            SendingIpId = 7, RunId = 3, Check = "blocklist:zen.spamhaus.org", Target = "203.0.113.5", FromStatus = CheckStatus.Pass,
            ToStatus = CheckStatus.Fail, At = Now, Summary = "listed: 127.0.0.2",
        };

        var e = AlertDetection.CheckChange(change, "203.0.113.5")!;
        Assert.Equal("check-change:3:blocklist:zen.spamhaus.org:203.0.113.5", e.Key);
        Assert.StartsWith("Listed on ", e.Title, StringComparison.Ordinal);
        Assert.EndsWith(": 203.0.113.5", e.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, AlertEventKind.DelistingAnswerDue, "First reply of the Outlook.com delisting case for 203.0.113.5: due in 3 h (due 10 Mar 15:00 UTC).")]
    [InlineData(-5, AlertEventKind.DelistingAnswerOverdue, "First reply of the Outlook.com delisting case for 203.0.113.5: overdue by 5 h (due 10 Mar 07:00 UTC).")]
    [InlineData(30, null, null)]
    public void Deadline_DueWithin24HoursOrOverdue_IsAnEventLinkingToTheCase(int hours, AlertEventKind? kind, string? summary)
    {
        var delistingCase = new DelistingCase
        {
            Id = 4, SendingIpId = 7, Target = "outlook.com", OpenedBy = "o", State = DelistingCaseState.Open, FirstReplyDueAt = Now.AddHours(hours),
        };

        var e = AlertDetection.Deadline(delistingCase, "203.0.113.5", Now);

        Assert.Equal(kind, e?.Kind);
        Assert.Equal(summary, e?.Summary);
        if (e is not null) Assert.Equal("/delisting/4", e.Link);
    }
}
