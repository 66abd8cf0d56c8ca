using System.Diagnostics;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Jobs;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>A crash never stalls ingestion for minutes, and several worker instances share the work without losing any.</summary>
public class IngestTakeoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> FastTakeover = new()
    {
        ["Jobs:WorkerCount"] = "2",
        ["Ingest:ClaimSeconds"] = "3",
        ["Ingest:ResumeSweepSeconds"] = "1",
        ["Ingest:ChunkSize"] = "200",
    };

    /// <summary>Stores the upload; <paramref name="queue"/> also hands it to Hangfire, as the page and the API do.</summary>
    private static async Task<long> UploadAsync(DeliverabilityAppFactory app, string name, byte[] content, bool queue)
    {
        var batchId = await app.StoreBatchAsync((name, content));
        if (queue)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IJobScheduler>().EnqueueAsync<IngestBatchJob>(j => j.RunAsync(batchId, CancellationToken.None), Ct);
        }

        return batchId;
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<TimeSpan> WaitUntilAsync(TestDatabase database, Func<DeliverabilityDbContext, Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            await using var db = database.CreateDbContext();
            if (await condition(db))
            {
                return clock.Elapsed;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"{what}: not within {timeout}.");
    }

    [Fact]
    public async Task AfterACrashMidBatch_TheBatchesResumeWithinSeconds_AndANewUploadStartsAtOnce()
    {
        const int messages = 1500;
        await using var database = await TestDatabase.CreateAsync();
        var killed = new List<long>();
        await using (var before = new DeliverabilityAppFactory(database))
        {
            for (var i = 0; i < 3; i++)
            {
                killed.Add(await UploadAsync(before, $"big-{i}.mbox", Fixtures.ManyBounces(messages), queue: false));
            }
        }

        // What kill -9 leaves: the batches Running, claimed by a run that will never renew its claim.
        await ExecuteAsync(database, $"""
            UPDATE ingest_batches SET status = 'Running', started_at = now(), claimed_by = 'killed-host:1:run', claimed_until = clock_timestamp() + interval '3 seconds'
            WHERE id IN ({string.Join(',', killed)})
            """);

        await using var restarted = new DeliverabilityAppFactory(database, runJobServer: true, FastTakeover);
        _ = restarted.Server;
        var fresh = await UploadAsync(restarted, "new.eml", Fixtures.Bounce("exim-mailboxfull"), queue: true);

        var newUploadDone = await WaitUntilAsync(database, db => db.IngestBatches.AnyAsync(b => b.Id == fresh && b.Status == IngestStatus.Completed, Ct),
            TimeSpan.FromSeconds(60), "the new upload");
        var resumed = await WaitUntilAsync(database, db => db.IngestFiles.AnyAsync(f => killed.Contains(f.BatchId) && f.ProcessedMessages > 0, Ct),
            TimeSpan.FromSeconds(60), "a resumed batch");
        TestContext.Current.SendDiagnosticMessage($"new upload completed after {newUploadDone.TotalSeconds:F1} s; first resumed chunk {resumed.TotalSeconds:F1} s later");
        Assert.True(newUploadDone < TimeSpan.FromSeconds(10), $"the new upload took {newUploadDone.TotalSeconds:F1} s");
        Assert.True(newUploadDone + resumed < TimeSpan.FromSeconds(30), $"the first resumed chunk came {(newUploadDone + resumed).TotalSeconds:F1} s after the restart");

        await WaitUntilAsync(database, db => db.IngestBatches.CountAsync(b => killed.Contains(b.Id) && b.Status == IngestStatus.Completed, Ct).ContinueWith(t => t.Result == 3, TaskScheduler.Default),
            TimeSpan.FromMinutes(6), "every resumed batch");
        await using var check = database.CreateDbContext();
        foreach (var batch in await check.IngestBatches.Where(b => killed.Contains(b.Id)).ToListAsync(Ct))
        {
            Assert.Equal((messages, messages, 0, 0), (batch.MessageCount, batch.BounceCount, batch.DuplicateCount, batch.ErrorCount));
        }

        Assert.Equal(3 * messages + 1, await check.RawMessages.CountAsync(Ct));
    }

    [Fact]
    public async Task ScaleOut_OneWebAndTwoWorkers_ShareTheBatchesAndLoseNothingWhenOneWorkerDies()
    {
        const int messages = 1200;
        const int batches = 4;
        await using var database = await TestDatabase.CreateAsync();
        await using var web = new DeliverabilityAppFactory(database, runJobServer: false);
        var first = new DeliverabilityAppFactory(database, runJobServer: true, FastTakeover);
        await using var second = new DeliverabilityAppFactory(database, runJobServer: true, FastTakeover);
        try
        {
            _ = first.Server;
            _ = second.Server;
            var ids = new List<long>();
            for (var i = 0; i < batches; i++)
            {
                ids.Add(await UploadAsync(web, $"part-{i}.mbox", Fixtures.ManyBounces(messages), queue: true));
            }

            // Both workers have taken a job (one server id each in Hangfire's processing states), and the work is not done.
            await WaitUntilAsync(database, async db => await ProcessingServersAsync(database) >= 2, TimeSpan.FromMinutes(2), "both workers processing");
            await first.DisposeAsync();

            await WaitUntilAsync(database, db => db.IngestBatches.CountAsync(b => ids.Contains(b.Id) && b.Status == IngestStatus.Completed, Ct).ContinueWith(t => t.Result == batches, TaskScheduler.Default),
                TimeSpan.FromMinutes(8), "every batch");
            await using var check = database.CreateDbContext();
            foreach (var batch in await check.IngestBatches.Where(b => ids.Contains(b.Id)).ToListAsync(Ct))
            {
                Assert.Equal((messages, messages, 0, 0), (batch.MessageCount, batch.BounceCount, batch.DuplicateCount, batch.ErrorCount));
            }

            Assert.Equal(batches * messages, await check.RawMessages.CountAsync(Ct));
            Assert.Equal(batches * messages, await check.Bounces.CountAsync(Ct));
            // Chunks of two workers (one killed mid-chunk) moved the same hourly counts: each bounce counted once.
            Assert.Equal(batches * messages, await check.BounceHours.SumAsync(h => h.Bounces, Ct));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    /// <summary>How many instances' ingest servers have started an ingest job (from the Processing states Hangfire records).</summary>
    private static async Task<int> ProcessingServersAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            SELECT count(DISTINCT s.data::jsonb ->> 'ServerId') FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
            WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%IngestBatchJob%' AND s.data::jsonb ->> 'ServerId' NOT LIKE '%:ingest-resumed:%'
            """, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
