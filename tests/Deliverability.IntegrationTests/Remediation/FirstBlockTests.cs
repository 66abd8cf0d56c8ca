using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Logs;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>One first block everywhere: the IP status, the delisting case, its request text and the code table's reader.</summary>
public class FirstBlockTests(DiagnosisDatabase fixture) : IClassFixture<DiagnosisDatabase>, IDbContextFactory<DeliverabilityDbContext>
{
    private static readonly DateTimeOffset Now = DiagnosisSeed.Now;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public DeliverabilityDbContext CreateDbContext() => fixture.Database.CreateDbContext();

    [Fact]
    public async Task TheLoggedS3150BeforeTheFirstBlockBounce_IsTheFirstBlockOnTheStatusTheCaseAndTheRequest()
    {
        var ip = await DiagnosisSeed.CreateAsync(CreateDbContext, fixture.NextAddress());
        var logged = Now.AddHours(-9).AddMinutes(-15);
        await ip.LogLinesAsync(36, logged, DeliveryStatus.Bounced, "outlook.com", "S3150", "blocked", "5.7.1", reply: Incident.S3150);
        await ip.BouncesAsync(1, Now.AddHours(-3), "outlook.com", "S3150");
        await ip.RunAsync();

        await using (var db = CreateDbContext())
        {
            var status = await db.IpStatus.SingleAsync(s => s.SendingIpId == ip.SendingIpId, Ct);
            Assert.Equal(logged, status.BlockedSince);
            var evidence = (await IpEvidenceReader.ReadAsync(db, ip.SendingIpId, Now, Ct))!;
            var code = Assert.Single(evidence.Codes);
            Assert.Equal(("S3150", 37, 36, logged), (code.Code, code.Count, code.InLogs, code.First));
            // The IP page reads only the codes: the same table as the diagnosis's evidence.
            Assert.Equal(evidence.Codes, await IpEvidenceReader.ReadCodesAsync(db, ip.SendingIpId, Now, Ct));
        }

        var cases = new DelistingCases(this, new FakeTimeProvider(Now), new RecordedJobs().DiagnosisRequests);
        var opened = await cases.OpenAsync(ip.SendingIpId, DelistingProcesses.Outlook, "operator@example.com", Ct);
        var details = (await new DelistingCaseReader(this).LoadAsync(opened.Id, Ct))!;
        Assert.Equal(logged, details.Case.FirstBlockAt);
        Assert.Contains($"First refused: {DelistingRequestText.Format(logged)}", details.RequestText, StringComparison.Ordinal);
    }
}
