using Deliverability.Core.Remediation;

namespace Deliverability.Core.Tests.Remediation;

public class ReportCausesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day1 = new(2026, 12, 1);

    private static IpEvidence Evidence(IReadOnlyList<DmarcReportSighting> reports, IReadOnlyList<DkimReportSighting>? signatures = null) =>
        new() { SendingIpId = 7, Now = Now, FirstActivityAt = Now.AddDays(-200), DmarcReports = reports, DmarcSignatures = signatures ?? [] };

    [Fact]
    public void Plan_WhenOutlookReportsDkimFailingForASelector_CitesTheFiguresAndTheSelector()
    {
        var evidence = Evidence(
            [new("Outlook.com", "example.com", 100, 100, 62, 100, Day1, Day1)],
            [new("Outlook.com", "example.com", "example.com", "s1", 100, 38)]);

        var item = Assert.Single(RemediationRules.Plan(evidence));

        Assert.Equal(("receiver-reports", RemediationCause.ReportedAuthFailures), (item.Key, item.Cause));
        var line = Assert.Single(item.Evidence);
        Assert.Equal("Outlook.com's reports: DKIM fails for 38% of mail from this IP for example.com (38 of 100 messages, 2026-12-01): " +
            "selector s1 of example.com failing for 38 of 100", line.Text);
        Assert.Equal("/ips/7#dmarc-reports", line.Href);
    }

    [Fact]
    public void Plan_WhenDmarcFailsWithoutAnyFailingSignature_SaysTheMailMayBeUnsigned()
    {
        var item = Assert.Single(RemediationRules.Plan(Evidence([new("google.com", "example.com", 150, 120, 120, 120, Day1, Day1.AddDays(2))])));

        Assert.Equal(2, item.Evidence.Count);
        Assert.StartsWith("google.com's reports: DMARC fails for 20% of mail from this IP for example.com (30 of 150 messages, 2026-12-01 to 2026-12-03", item.Evidence[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("no failing signature in the reports: unsigned, or signed for another domain", item.Evidence[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WhenNoReportCoversTheIp_RaisesNothing() => Assert.Empty(RemediationRules.Plan(Evidence([])));

    [Fact]
    public void Plan_WhenReportsShowEverythingPassing_RaisesNothing() =>
        Assert.Empty(RemediationRules.Plan(Evidence([new("Yahoo", "example.com", 500, 500, 500, 480, Day1, Day1)])));

    [Fact]
    public void Plan_WhenTooFewMessagesOrAShareBelowTheThreshold_RaisesNothing() =>
        Assert.Empty(RemediationRules.Plan(Evidence([
            new("Yahoo", "example.com", RemediationRules.ReportedMinimumMessages - 1, 0, 0, 0, Day1, Day1),
            new("google.com", "example.com", 1000, 990, 990, 990, Day1, Day1),
        ])));
}
