using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>A batch that touched thousands of IPs asks Hangfire for chunks of them, not for a job per IP. A database of its own.</summary>
public sealed class DiagnosisRequestChunkTests : IAsyncLifetime
{
    private TestDatabase _database = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task RequestAsync_ForManyIps_RecordsEveryRequestAndAsksForChunks_ForAFewIps_AJobEach()
    {
        var ids = new List<long>();
        await using (var db = _database.CreateDbContext())
        {
            for (var i = 0; i < IpDiagnosisRequests.ChunkSize + 10; i++)
            {
                ids.Add(await db.AddSendingIpAsync($"10.77.{i / 250}.{i % 250 + 1}", ct: Ct));
            }
        }

        var jobs = new RecordedJobs();
        await new IpDiagnosisRequests(jobs, _database).RequestAsync(ids, Ct);
        await new IpDiagnosisRequests(jobs, _database).RequestAsync(ids.Take(3), Ct);

        var chunks = jobs.Created.Where(j => j.Type == typeof(IpDiagnosisChunkJob)).Select(j => (long[])j.Args[0]!).ToList();
        Assert.Equal([IpDiagnosisRequests.ChunkSize, 10], chunks.Select(c => c.Length));
        Assert.Equal(ids.Order(), chunks.SelectMany(c => c).Order());
        Assert.Equal(ids.Take(3).Order(), jobs.Created.Where(j => j.Type == typeof(IpDiagnosisJob)).Select(j => (long)j.Args[0]!).Order());
        await using var check = _database.CreateDbContext();
        Assert.Equal(ids.Count, await check.IpDiagnosisRequests.CountAsync(r => ids.Contains(r.SendingIpId), Ct));
    }
}
