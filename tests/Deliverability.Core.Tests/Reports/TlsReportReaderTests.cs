using System.Net;
using Deliverability.Core.Reports;

namespace Deliverability.Core.Tests.Reports;

public class TlsReportReaderTests
{
    [Fact]
    public void Read_WhenRfc8460Report_ReadsPoliciesAndFailures()
    {
        var report = TlsReportReader.Read(new MemoryStream(DmarcAggregateReaderTests.Fixture("tls-google-style.json")));

        Assert.Equal(("Google Inc.", "2026-12-01T00:00:00Z_example.com"), (report.OrgName, report.ReportId));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), report.Begin);
        var policy = Assert.Single(report.Policies);
        Assert.Equal(("sts", "example.com", "mail.example.com", 940L, 12L), (policy.PolicyType, policy.PolicyDomain!, policy.MxHosts!, policy.SuccessfulSessions, policy.FailedSessions));
        var failure = Assert.Single(policy.Failures);
        Assert.Equal(("certificate-expired", 12L), (failure.ResultType, failure.FailedSessions));
        Assert.Equal(IPAddress.Parse("192.0.2.10"), failure.ReceivingIp);
    }

    [Theory]
    [InlineData("{\"organization-name\":\"x\"", "JSON is broken")]
    [InlineData("{\"organization-name\":\"x\",\"date-range\":{}}", "no report-id")]
    [InlineData("{\"organization-name\":\"x\",\"report-id\":\"1\"}", "no readable date-range")]
    [InlineData("[1,2]", "not an object")]
    public void Read_WhenNotAReport_SaysWhy(string json, string expected)
    {
        var e = Assert.Throws<ReportFormatException>(() => TlsReportReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
