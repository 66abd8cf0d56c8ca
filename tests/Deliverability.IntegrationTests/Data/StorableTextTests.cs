using System.Text;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.IntegrationTests.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.IntegrationTests.Data;

/// <summary>Text PostgreSQL cannot store (NUL, lone surrogates) costs a character, never a message or a batch.</summary>
public class StorableTextTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ingest_WhenAMessageCarriesNulsInEveryField_StoresItAndTheRestOfTheBatch()
    {
        var clean = Fixtures.Bounce("exim-mailboxfull");
        var text = Encoding.Latin1.GetString(Fixtures.Bounce("postfix-userunknown"))
            .Replace("Subject: Undelivered Mail", "Subject: Undelivered\0 Mail", StringComparison.Ordinal)
            .Replace("User unknown in virtual", "User\0unknown in virtual", StringComparison.Ordinal)
            .Replace("<newsletter-2026-03.42@example.com>", "<news\0letter@example.com>", StringComparison.Ordinal)
            .Replace("Subject: March newsletter", "Subject: =?utf-8?q?March=00news?=", StringComparison.Ordinal);
        var poisoned = Encoding.Latin1.GetBytes(text);
        Assert.Contains((byte)0, poisoned);

        long batchId;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
            batchId = await uploads.CreateBatchAsync("nul\0 test", IngestSource.Cli, null, Ct);
            await uploads.AddFileAsync(batchId, "three\0.mbox", new MemoryStream(Fixtures.MboxOf(clean, poisoned, Fixtures.Bounce("sendmail-hostunknown"))), Ct);
            await uploads.MarkSubmittedAsync(batchId, Ct);
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        await using var db = app.Factory.Database.CreateDbContext();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct);
        Assert.Equal(IngestStatus.Completed, batch.Status);
        Assert.Equal((3, 3, 0), (batch.MessageCount, batch.ParsedCount, batch.ErrorCount));
        var bounce = await db.Bounces.SingleAsync(b => b.BatchId == batchId && b.Recipient == "ivan@example.org", Ct);
        Assert.Contains("User\uFFFDunknown", bounce.Diagnostic, StringComparison.Ordinal);
        Assert.Equal("Undelivered\uFFFD Mail Returned to Sender", (await db.RawMessages.SingleAsync(r => r.Id == bounce.RawMessageId, Ct)).Subject);
        Assert.Equal("three\uFFFD.mbox", (await db.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct)).Name);
    }

    [Fact]
    public async Task WriteStorable_WhenATextArrayHoldsNuls_CopiesItWithEachNulReplaced()
    {
        await using var db = app.Factory.Database.CreateDbContext();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE selectors (names text[])", connection))
        {
            await create.ExecuteNonQueryAsync(Ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY selectors (names) FROM STDIN (FORMAT BINARY)", Ct))
        {
            await copy.StartRowAsync(Ct);
            await copy.WriteStorableAsync(new[] { "s\01", null, "\uD800x" }, NpgsqlDbType.Array | NpgsqlDbType.Text, Ct);
            await copy.CompleteAsync(Ct);
        }

        await using var read = new NpgsqlCommand("SELECT names FROM selectors", connection);
        Assert.Equal(["s\uFFFD1", null, "\uFFFDx"], (string?[])(await read.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public void Model_EveryStringPropertyIsWrittenThroughTheCleaningConverter()
    {
        using var db = app.Factory.Database.CreateDbContext();
        var unguarded = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties().Where(p => p.ClrType == typeof(string))
                .Where(p => p.GetValueConverter() is not StorableText.Converter).Select(p => $"{e.ClrType.Name}.{p.Name}"))
            .ToList();
        Assert.Empty(unguarded);
    }

    [Fact]
    public void BulkWriters_WriteEveryTextAndJsonbValueThroughTheCleaningWriter()
    {
        var src = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src");
        var offending = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => (l.Text.Contains(".WriteAsync(", StringComparison.Ordinal) || l.Text.Contains(".Write(", StringComparison.Ordinal))
                        && (l.Text.Contains("NpgsqlDbType.Text", StringComparison.Ordinal) || l.Text.Contains("NpgsqlDbType.Jsonb", StringComparison.Ordinal)
                            || l.Text.Contains("NpgsqlDbType.Varchar", StringComparison.Ordinal))
                        && l.File != "StorableText.cs")
            .Select(l => $"{l.File}:{l.Line}")
            .ToList();
        Assert.True(offending.Count == 0, "COPY writes of text that bypass StorableText.WriteStorableAsync: " + string.Join(", ", offending));
    }
}
