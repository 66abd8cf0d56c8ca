using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Deliverability.Core.Api;
using Deliverability.Core.Ingestion;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>Nothing an upload holds is lost, and a batch that cannot finish says why instead of "Running" for good.</summary>
public class IngestResilienceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<long> SubmitAsync(params (string Name, byte[] Content)[] files) => app.Factory.StoreBatchAsync(files);

    private async Task RunAsync(long batchId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.Factory.Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<HttpClient> ApiClientAsync()
    {
        var created = await app.Factory.Services.GetRequiredService<ApiKeys>().CreateAsync("resilience tests", "admin@example.com", Ct);
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        return client;
    }

    private static byte[] WithRecipient(string fixture, string from, string to) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Fixtures.Bounce(fixture)).Replace(from, to, StringComparison.Ordinal));

    [Fact]
    public async Task Ingest_WhenPostgresRefusesOneMessageOfAChunk_RecordsThatMessageAndStoresTheOthers()
    {
        // Whatever PostgreSQL may refuse in one message (here a constraint the test adds, standing for any value the cleaning
        // does not foresee), it costs that message only: the chunk is written again message by message.
        await ExecuteAsync("ALTER TABLE bounces ADD CONSTRAINT test_refuses_poison CHECK (recipient <> 'poison@refused.example')");
        try
        {
            var poisoned = WithRecipient("postfix-userunknown", "ivan@example.org", "poison@refused.example");
            var batchId = await SubmitAsync(("three.mbox", Fixtures.MboxOf(Fixtures.Bounce("exim-mailboxfull"), poisoned, Fixtures.Bounce("sendmail-hostunknown"))));

            await RunAsync(batchId);

            await using var db = app.Factory.Database.CreateDbContext();
            var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
            Assert.Equal(IngestStatus.Completed, batch.Status);
            Assert.Equal((3, 2, 1), (batch.MessageCount, batch.ParsedCount, batch.ErrorCount));
            Assert.Equal(["kim@example.org", "leo@nonexistent.example.org"],
                await db.Bounces.Where(b => b.BatchId == batchId).OrderBy(b => b.Recipient).Select(b => b.Recipient).ToListAsync(Ct));
            var error = await db.IngestErrors.SingleAsync(e => e.BatchId == batchId, Ct);
            Assert.Equal(1, error.MessageIndex);
            Assert.Contains("could not be stored", error.Message, StringComparison.Ordinal);
            Assert.Contains("test_refuses_poison", error.Message, StringComparison.Ordinal);
            Assert.Equal(3, (await db.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct)).ProcessedMessages);
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE bounces DROP CONSTRAINT test_refuses_poison");
        }
    }

    [Fact]
    public async Task Ingest_WhenTheBatchCannotFinish_IsFailedWithItsReasonInTheApi()
    {
        var batchId = await SubmitAsync(("one.eml", Fixtures.Bounce("exim-mailboxfull")));
        // PostgreSQL refuses to complete this batch (a trigger standing for any error a retry would not change).
        await ExecuteAsync($"""
            CREATE FUNCTION test_refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER test_refuse_completion BEFORE UPDATE ON ingest_batches FOR EACH ROW
                WHEN (NEW.id = {batchId} AND NEW.status = 'Completed') EXECUTE FUNCTION test_refuse_completion();
            """);
        try
        {
            await RunAsync(batchId);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER test_refuse_completion ON ingest_batches; DROP FUNCTION test_refuse_completion();");
        }

        using var client = await ApiClientAsync();
        var status = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/batches/{batchId}", UriKind.Relative), Ct);
        Assert.Equal("Failed", status.GetProperty("status").GetString());
        Assert.Contains("refused by the test", status.GetProperty("failure").GetString(), StringComparison.Ordinal);

        // Failed is final: a later run (a restart, a duplicate job) does not read it again.
        await using var db = app.Factory.Database.CreateDbContext();
        var before = await db.IngestBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, Ct);
        await RunAsync(batchId);
        var after = await db.IngestBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal((IngestStatus.Failed, before.MessageCount), (after.Status, after.MessageCount));
        var resumption = new IngestResumption(app.Factory.Database.ConnectionString, app.Factory.Services.GetRequiredService<IOptions<IngestOptions>>(), TimeProvider.System);
        Assert.DoesNotContain(batchId, await resumption.TakeBatchesToResumeAsync(Ct));
    }

    [Fact]
    public async Task Ingest_WhenHangfireGivesUpOnTheJob_TheBatchIsFailedWithTheLastError()
    {
        var batchId = await SubmitAsync(("one.eml", Fixtures.Bounce("exim-mailboxfull")));
        await ExecuteAsync($"UPDATE ingest_batches SET status = 'Running' WHERE id = {batchId}");
        var jobs = app.Factory.Services.GetRequiredService<IBackgroundJobClient>();
        var jobId = jobs.Enqueue<IngestBatchJob>(j => j.RunAsync(batchId, CancellationToken.None));
        using (var connection = app.Factory.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            connection.SetJobParameter(jobId, "RetryCount", IngestBatchJob.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // The last attempt fails the way a database that stays away makes it fail.
        Assert.True(jobs.ChangeState(jobId, new FailedState(new TimeoutException("The database did not answer.")), EnqueuedState.StateName));

        await using var db = app.Factory.Database.CreateDbContext();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal(IngestStatus.Failed, batch.Status);
        Assert.Contains("gave up", batch.Failure, StringComparison.Ordinal);
        Assert.Contains("The database did not answer.", batch.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_WhenAMboxIsFramedSloppily_ReadsEveryMessageOrListsItsError()
    {
        // Fresh copies for every file: the same bytes twice would be a duplicate, not a second bounce.
        static string Mbox() =>
            "From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n" + Text("exim-mailboxfull") + "\nFrom MAILER-DAEMON Fri Mar 13 12:00:00 2026\n" + Text("qmail-userunknown");
        static string Text(string fixture) => Encoding.UTF8.GetString(Fixtures.Bounce(fixture)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var headerless = Text("qmail-userunknown");
        var batchId = await SubmitAsync(
            ("cr-only.mbox", Encoding.UTF8.GetBytes(Mbox().Replace('\n', '\r'))),
            ("leading-blank-lines.mbox", Encoding.UTF8.GetBytes("\n\n" + Mbox())),
            ("byte-order-mark.mbox", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Mbox())]),
            ("from-line-only.mbox", "From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n"u8.ToArray()),
            ("headerless.eml", Encoding.UTF8.GetBytes(headerless[(headerless.IndexOf("\n\n", StringComparison.Ordinal) + 2)..])));

        await RunAsync(batchId);

        await using var db = app.Factory.Database.CreateDbContext();
        var files = await db.IngestFiles.Where(f => f.BatchId == batchId).ToDictionaryAsync(f => f.Name, Ct);
        Assert.All(files.Values, f => Assert.Equal(IngestStatus.Completed, f.Status));
        Assert.Equal(2, files["cr-only.mbox"].ProcessedMessages);
        Assert.Equal(2, files["leading-blank-lines.mbox"].ProcessedMessages);
        Assert.Equal(2, files["byte-order-mark.mbox"].ProcessedMessages);
        var fromOnly = files["from-line-only.mbox"];
        Assert.Equal((1, 1), (fromOnly.ProcessedMessages, fromOnly.ErrorCount));
        Assert.Contains(await db.IngestErrors.Where(e => e.FileId == fromOnly.Id).Select(e => e.Message).ToListAsync(Ct),
            m => m.Contains("nothing after its mbox \"From \" line", StringComparison.Ordinal));
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        // kim (exim) and mia + noah (qmail) in each of the three mboxes, mia + noah from the body without headers.
        Assert.Equal(3 * 3 + 2, await db.Bounces.CountAsync(b => b.BatchId == batchId, Ct));
        Assert.Equal((8, 7, 1), (batch.MessageCount, batch.ParsedCount, batch.ErrorCount));
    }

    [Fact]
    public async Task Resumption_SettlesUploadsCutOffHalfWay_AndNeverTouchesFinishedBatches()
    {
        long withFile, empty, finished;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            withFile = await uploads.CreateBatchAsync("tests", IngestSource.Upload, null, Ct);
            await uploads.AddFileAsync(withFile, "arrived.eml", new MemoryStream(Fixtures.Bounce("exim-mailboxfull")), Ct);
            empty = await uploads.CreateBatchAsync("tests", IngestSource.Upload, null, Ct);
            finished = await SubmitAsync(("done.eml", Fixtures.Bounce("sendmail-hostunknown")));
        }

        await RunAsync(finished);
        await ExecuteAsync($"UPDATE ingest_batches SET created_at = created_at - interval '1 day', submitted_at = submitted_at - interval '1 day' WHERE id IN ({withFile}, {empty}, {finished})");
        var resumption = new IngestResumption(app.Factory.Database.ConnectionString, app.Factory.Services.GetRequiredService<IOptions<IngestOptions>>(), TimeProvider.System);

        var resumed = await resumption.TakeBatchesToResumeAsync(Ct);

        Assert.Contains(withFile, resumed);
        Assert.DoesNotContain(empty, resumed);
        Assert.DoesNotContain(finished, resumed);
        await using var db = app.Factory.Database.CreateDbContext();
        var abandoned = await db.IngestBatches.SingleAsync(b => b.Id == empty, Ct);
        Assert.Equal((IngestStatus.Failed, IngestResumption.AbandonedWithoutFiles), (abandoned.Status, abandoned.Failure));
        Assert.NotNull((await db.IngestBatches.SingleAsync(b => b.Id == withFile, Ct)).SubmittedAt);
        // Marked as queued: a second sweep (another instance) does not queue it twice.
        Assert.DoesNotContain(withFile, await resumption.TakeBatchesToResumeAsync(Ct));
        await RunAsync(withFile);
        Assert.Equal(IngestStatus.Completed, (await db.IngestBatches.AsNoTracking().SingleAsync(b => b.Id == withFile, Ct)).Status);
    }
}
