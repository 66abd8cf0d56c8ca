using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>Assigning unattributed bounces to an IP: the bounces, the rule for future ones and the IP's diagnosis, in one use case.</summary>
public sealed class BounceAssignmentTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (BounceAssignment Assignment, RecordedJobs Jobs) Create()
    {
        var jobs = new RecordedJobs();
        var dbFactory = app.Factory.Services.GetRequiredService<IDbContextFactory<DeliverabilityDbContext>>();
        return (new BounceAssignment(dbFactory, jobs.DiagnosisRequests, TimeProvider.System), jobs);
    }

    /// <summary>Reads a bounce and takes the IP of every stored bounce away, as if they had named none; returns its reporting MTA.</summary>
    private async Task<string> UnattributedBouncesAsync(string fixture)
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var ingest = scope.ServiceProvider.GetRequiredService<Ingest>();
            await using var upload = await ingest.OpenAsync("tests", IngestSource.Cli, null, Ct);
            await upload.AddAsync("bounce.eml", new MemoryStream(Fixtures.Bounce(fixture)), Ct);
            await upload.SubmitAndReadAsync(Ct);
        }

        await using var db = app.Factory.Database.CreateDbContext();
        await db.Bounces.ExecuteUpdateAsync(s => s.SetProperty(b => b.SendingIpId, (long?)null).SetProperty(b => b.SendingIpSource, (string?)null), Ct);
        return (await db.Bounces.Select(b => b.ReportingMta).FirstAsync(m => m != null, Ct))!;
    }

    private async Task<long> TrackAsync(string address)
    {
        var result = await app.Factory.Services.GetRequiredService<SendingIpTracking>().TrackAsync(address, null, Ct);
        return result.Id!.Value;
    }

    [Fact]
    public async Task AssignAsync_WithAReportingMtaRule_AttributesTheGroupAddsTheRuleAndAsksForTheDiagnosis()
    {
        var mta = await UnattributedBouncesAsync("outlook-s3150");
        var ipId = await TrackAsync("198.51.100.71");
        var (assignment, jobs) = Create();
        var group = Assert.Single(await assignment.UnattributedAsync(100, Ct), g => g.ReportingMta == mta);

        var outcome = await assignment.AssignAsync(new BounceAssignment.Assignment(" " + mta.ToUpperInvariant() + ". ", group.SenderDomain, ipId,
            SendingIpRuleKind.ReportingMta, WholeReportingHost: true), Ct);

        Assert.Equal(new BounceAssignment.Outcome(0, true, mta), outcome with { Updated = 0 });
        await using var db = app.Factory.Database.CreateDbContext();
        var rule = await db.SendingIpRules.SingleAsync(r => r.Pattern == mta, Ct);
        Assert.Equal((SendingIpRuleKind.ReportingMta, ipId), (rule.Kind, rule.SendingIpId));
        Assert.Empty(jobs.Created);

        var exact = await assignment.AssignAsync(new BounceAssignment.Assignment(mta, group.SenderDomain, ipId, SendingIpRuleKind.ReportingMta), Ct);

        Assert.Equal(new BounceAssignment.Outcome(group.Count, false, mta), exact);
        Assert.Equal(group.Count, await db.Bounces.CountAsync(b => b.SendingIpId == ipId && b.SendingIpSource == SendingIpSources.Manual, Ct));
        Assert.DoesNotContain(await assignment.UnattributedAsync(100, Ct), g => g.ReportingMta == mta);
        Assert.Single(await db.SendingIpRules.Where(r => r.Pattern == mta).ToListAsync(Ct));
        var diagnosed = Assert.Single(jobs.Created);
        Assert.Equal(ipId, (long)diagnosed.Args[0]!);
    }

    [Fact]
    public async Task AssignAsync_ToAnIpThatIsNotTracked_SaysSoAndChangesNothing()
    {
        var mta = await UnattributedBouncesAsync("outlook-s3150");
        var (assignment, jobs) = Create();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            assignment.AssignAsync(new BounceAssignment.Assignment(mta, null, 987_654, SendingIpRuleKind.ReportingMta, WholeReportingHost: true), Ct));

        Assert.Contains("no tracked sending IP #987654", error.Message, StringComparison.Ordinal);
        await using var db = app.Factory.Database.CreateDbContext();
        Assert.True(await db.Bounces.AnyAsync(b => b.ReportingMta == mta && b.SendingIpId == null, Ct));
        Assert.False(await db.SendingIpRules.AnyAsync(r => r.SendingIpId == 987_654, Ct));
        Assert.Empty(jobs.Created);
    }
}
