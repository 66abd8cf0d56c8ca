using System.Diagnostics;
using Deliverability.Core.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>The whole app, with its Hangfire server, stopped in the middle of a batch and started again.</summary>
public class IngestHostRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IngestJob_WhenTheAppStopsMidBatchAndStartsAgain_FinishesWithExactCountsAndNoDuplicateRows()
    {
        const int messages = 6000;
        await using var database = await TestDatabase.CreateAsync();
        long batchId;
        await using (var first = new DeliverabilityAppFactory(database, runJobServer: true))
        {
            _ = first.Server;
            await using var scope = first.Services.CreateAsyncScope();
            await using var upload = await scope.ServiceProvider.GetRequiredService<Ingest>().OpenAsync("tests", IngestSource.Api, null, Ct);
            await upload.AddAsync("many.mbox", new MemoryStream(Fixtures.ManyBounces(messages)), Ct);
            await upload.SubmitAsync(Ct);
            batchId = upload.BatchId;

            await WaitUntilAsync(database, db => db.IngestFiles.AnyAsync(f => f.BatchId == batchId && f.ProcessedMessages > 0, Ct), TimeSpan.FromMinutes(3));

            // A fast machine writes the other chunks before the stop takes effect (CI once saw all 6,000 stored): the next
            // chunk waits on this lock instead, so the app stops in the middle of the batch on any machine. SHARE mode
            // lets the chunk in flight commit and blocks the next insert; the stop cancels that waiting insert.
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var hold = await connection.BeginTransactionAsync(Ct);
            await using (var command = new NpgsqlCommand("LOCK TABLE raw_messages IN SHARE MODE", connection, hold))
            {
                await command.ExecuteNonQueryAsync(Ct);
            }

            await first.DisposeAsync();
        }

        await using (var db = database.CreateDbContext())
        {
            var stopped = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
            Assert.NotEqual(IngestStatus.Completed, stopped.Status);
            Assert.InRange(stopped.BounceCount, 1, messages - 1);
        }

        await using (var second = new DeliverabilityAppFactory(database, runJobServer: true))
        {
            _ = second.Server;
            await WaitUntilAsync(database, db => db.IngestBatches.AnyAsync(b => b.Id == batchId && b.Status == IngestStatus.Completed, Ct), TimeSpan.FromMinutes(5));
        }

        await using var check = database.CreateDbContext();
        var batch = await check.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal((messages, messages, messages, 0, 0), (batch.MessageCount, batch.ParsedCount, batch.BounceCount, batch.DuplicateCount, batch.ErrorCount));
        Assert.Equal(messages, await check.Bounces.CountAsync(Ct));
        Assert.Equal(messages, await check.RawMessages.CountAsync(Ct));
    }

    private static async Task WaitUntilAsync(TestDatabase database, Func<Deliverability.Core.Data.DeliverabilityDbContext, Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            await using var db = database.CreateDbContext();
            if (await condition(db))
            {
                return;
            }

            await Task.Delay(20, Ct);
        }

        throw new TimeoutException($"Condition not met within {timeout}.");
    }
}
