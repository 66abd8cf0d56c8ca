using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>
/// The hourly refresh diagnoses exactly the IPs whose evidence crossed a window's edge or whose request was not served, on a
/// clock the test moves. A database of its own: the refresh looks at every IP in it.
/// </summary>
public sealed class IncrementalDiagnosisTests(DiagnosisDatabase fixture) : IClassFixture<DiagnosisDatabase>
{
    private static readonly DateTimeOffset Now = DiagnosisSeed.Now;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeliverabilityDbContext Db() => fixture.Database.CreateDbContext();

    private async Task<(IReadOnlyList<long> Due, IReadOnlyList<long[]> Chunks)> RefreshAsync(DateTimeOffset at)
    {
        var jobs = new RecordedJobs();
        await using var db = Db();
        var due = await new DiagnoseAllIpsJob(db, jobs.DiagnosisRequests, new FakeTimeProvider(at), NullLogger<DiagnoseAllIpsJob>.Instance).PlanAsync(full: false, Ct);
        var chunks = jobs.Created.Where(j => j.Type == typeof(IpDiagnosisChunkJob)).Select(j => (long[])j.Args[0]!).ToList();
        return (due, chunks);
    }

    private async Task<IpStatusSnapshot> StatusAsync(DiagnosisSeed ip)
    {
        await using var db = Db();
        return await db.IpStatus.AsNoTracking().SingleAsync(s => s.SendingIpId == ip.SendingIpId, Ct);
    }

    [Fact]
    public async Task PlanAsync_AfterTheClockMoves_PicksTheIpsWhoseWindowsChangedAndLeavesTheOthers()
    {
        // A: bounces 23.5 hours old, about to leave the 24-hour count. B: bounces 10 days old, no edge for another 20 days.
        // C: 2 hours short of a week old, and new evidence whose diagnosis job was lost (its request stays).
        var a = await DiagnosisSeed.CreateAsync(Db, fixture.NextAddress());
        var b = await DiagnosisSeed.CreateAsync(Db, fixture.NextAddress());
        var c = await DiagnosisSeed.CreateAsync(Db, fixture.NextAddress());
        await a.BouncesAsync(3, Now.AddHours(-23.5), "outlook.com", "S3150");
        await b.BouncesAsync(3, Now.AddDays(-10), "gmail.com", reason: "userunknown");
        await c.BouncesAsync(2, Now.AddDays(-7).AddHours(2));
        await using (var db = Db())
        {
            await BounceHours.RebuildAllAsync(db, Ct); // what the writers of these bounces keep current
        }

        // The first pass has no previous one to start from: every IP.
        var first = await RefreshAsync(Now);
        Assert.Equal([a.SendingIpId, b.SendingIpId, c.SendingIpId], first.Due);
        Assert.Equal([a.SendingIpId, b.SendingIpId, c.SendingIpId], first.Chunks.SelectMany(x => x));
        foreach (var ip in new[] { a, b, c }) await ip.RunAsync(Now);
        Assert.Equal((3, 3), ((await StatusAsync(a)).Bounces24h, (await StatusAsync(a)).Bounces7d));

        // Twenty minutes on, nothing crossed an edge: nothing is due.
        Assert.Empty((await RefreshAsync(Now.AddMinutes(20))).Due);

        await using (var db = Db())
        {
            db.IpDiagnosisRequests.Add(new IpDiagnosisRequest { SendingIpId = c.SendingIpId, RequestedAt = Now.AddMinutes(30) });
            await db.SaveChangesAsync(Ct);
        }

        // An hour on: A's bounces left the 24 hours, C's request waited past its grace; B's counts are what they were.
        var second = await RefreshAsync(Now.AddHours(1));
        Assert.Equal([a.SendingIpId, c.SendingIpId], second.Due);
        await a.RunAsync(Now.AddHours(1));
        await c.RunAsync(Now.AddHours(1));
        var statusA = await StatusAsync(a);
        Assert.Equal((0, 3), (statusA.Bounces24h, statusA.Bounces7d));

        // Served: the next hour finds nothing; C's bounces leave the 7 days at +2 h and only C comes back.
        Assert.Empty((await RefreshAsync(Now.AddHours(1.5))).Due);
        Assert.Equal([c.SendingIpId], (await RefreshAsync(Now.AddHours(2.5))).Due);
        Assert.Equal(0, (await StatusAsync(b)).Bounces7d);
    }
}
