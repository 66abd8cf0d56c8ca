using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>The one way in for uploads (page, API, CLI, demo): what a batch becomes for each way an upload can end.</summary>
public sealed class IngestUseCaseTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (Ingest Ingest, RecordedJobs Jobs) Create(long maxFileBytes = 512L * 1024 * 1024)
    {
        var services = app.Factory.Services;
        var jobs = new RecordedJobs();
        var options = Options.Create(new IngestOptions { MaxFileBytes = maxFileBytes });
        var dbFactory = services.GetRequiredService<IDbContextFactory<DeliverabilityDbContext>>();
        var store = new IngestUploads(dbFactory, TimeProvider.System, options);
        return (new Ingest(dbFactory, store, jobs, services.GetRequiredService<IServiceScopeFactory>(), options), jobs);
    }

    private static List<long> BatchRuns(RecordedJobs jobs) =>
        jobs.Created.Where(j => j.Type == typeof(IngestBatchJob) && j.Method.Name == nameof(IngestBatchJob.RunAsync)).Select(j => (long)j.Args[0]!).ToList();

    private async Task<IngestBatch> BatchAsync(long id)
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.IngestBatches.AsNoTracking().Include(b => b.Files).SingleAsync(b => b.Id == id, Ct);
    }

    [Fact]
    public async Task AddFileAsync_ALargeFileReadInManyPieces_IsStoredWithItsExactSha256AndBytes()
    {
        // 3 MB read in pieces of odd sizes: the hash and the gzip see the same bytes in order.
        var bytes = new byte[3 * 1024 * 1024 + 12345];
        new Random(7).NextBytes(bytes);
        var (ingest, _) = Create();
        long batchId;
        await using (var upload = await ingest.OpenAsync("operator@example.com", IngestSource.Upload, null, Ct))
        {
            Assert.Null(await upload.AddAsync("big.bin", new PieceStream(bytes), Ct));
            batchId = upload.BatchId;
        }

        await using var db = app.Factory.Database.CreateDbContext();
        var file = await db.IngestFiles.AsNoTracking().SingleAsync(f => f.BatchId == batchId, Ct);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes), file.Sha256);
        Assert.Equal(bytes.Length, file.Size);
        var stored = await db.IngestFileContents.AsNoTracking().SingleAsync(c => c.FileId == file.Id, Ct);
        using var gunzip = new System.IO.Compression.GZipStream(new MemoryStream(stored.Gzip), System.IO.Compression.CompressionMode.Decompress);
        using var back = new MemoryStream();
        await gunzip.CopyToAsync(back, Ct);
        Assert.True(back.ToArray().AsSpan().SequenceEqual(bytes), "the stored content differs from the upload");
    }

    /// <summary>A stream that hands out its bytes in pieces of varying size (as a network upload does).</summary>
    private sealed class PieceStream(byte[] bytes) : MemoryStream(bytes)
    {
        private int _reads;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, ++_reads % 3 == 0 ? 1000 : 200_000)], cancellationToken);
    }

    [Fact]
    public async Task SubmitAsync_StoresEveryFileAndAsksForOneRunOfTheBatch()
    {
        var (ingest, jobs) = Create();
        long batchId;
        await using (var upload = await ingest.OpenAsync("operator@example.com", IngestSource.Upload, null, Ct))
        {
            Assert.Null(await upload.AddAsync("a.eml", new MemoryStream(Fixtures.Bounce("outlook-s3150")), Ct));
            Assert.Null(await upload.AddAsync("b.eml", 10, () => new MemoryStream(Fixtures.Bounce("outlook-s3150")), Ct));
            await upload.SubmitAsync(Ct);
            batchId = upload.BatchId;
            Assert.Equal(2, upload.Stored);
        }

        var batch = await BatchAsync(batchId);
        Assert.NotNull(batch.SubmittedAt);
        Assert.Equal(2, batch.FileCount);
        Assert.Equal([batchId], BatchRuns(jobs));
    }

    [Fact]
    public async Task AddAsync_FileOverTheLimit_IsRefusedUnopenedWithTheSettingsName_AndTheOthersGoOn()
    {
        var (ingest, jobs) = Create(maxFileBytes: 2048);
        var opened = false;
        await using var upload = await ingest.OpenAsync("operator@example.com", IngestSource.Upload, null, Ct);

        var refusal = await upload.AddAsync("huge.mbox", 10_000, () =>
        {
            opened = true;
            return new MemoryStream(new byte[10_000]);
        }, Ct);
        var readRefusal = await upload.AddAsync("also-huge.eml", new MemoryStream(new byte[5000]), Ct);
        Assert.Null(await upload.AddAsync("small.eml", new MemoryStream("Subject: x\n\nhello\n"u8.ToArray()), Ct));
        await upload.SubmitAsync(Ct);

        Assert.False(opened);
        Assert.Equal("huge.mbox is larger than the upload limit of 2 KB (setting Ingest:MaxFileBytes).", refusal);
        Assert.Equal(Ingest.TooLarge("also-huge.eml", 2048), readRefusal);
        Assert.Equal([refusal!, readRefusal!], upload.Refusals);
        var batch = await BatchAsync(upload.BatchId);
        Assert.Equal(3, batch.FileCount);
        Assert.Equal(2, batch.ErrorCount);
        Assert.Equal([IngestStatus.Failed, IngestStatus.Failed, IngestStatus.Pending], batch.Files.OrderBy(f => f.Position).Select(f => f.Status));
        Assert.Single(BatchRuns(jobs));
    }

    [Fact]
    public async Task AnUploadThatEndsUnsubmitted_HasWhatItStoredRead_AndAnEmptyOneFailsWithWhy()
    {
        var (ingest, jobs) = Create();
        long withFile;
        long empty;
        await using (var upload = await ingest.OpenAsync("operator@example.com", IngestSource.Api, null, Ct))
        {
            await upload.AddAsync("a.eml", new MemoryStream(Fixtures.Bounce("outlook-s3150")), Ct);
            withFile = upload.BatchId;
        }

        await using (var upload = await ingest.OpenAsync("operator@example.com", IngestSource.Api, null, Ct))
        {
            empty = upload.BatchId;
        }

        Assert.NotNull((await BatchAsync(withFile)).SubmittedAt);
        var failed = await BatchAsync(empty);
        Assert.Equal(IngestStatus.Failed, failed.Status);
        Assert.Equal("The upload ended before any file was stored.", failed.Failure);
        Assert.Equal([withFile], BatchRuns(jobs));
    }

    [Theory]
    [InlineData("203.0.113.250", "203.0.113.250 is not a tracked sending IP: add it first (Sending IPs page).")]
    [InlineData("300.1.2.3", null)]
    public async Task ChooseDefaultIpAsync_AnAddressThatIsNotTracked_IsRefusedWithWhy(string typed, string? expected)
    {
        var (ingest, _) = Create();

        var choice = await ingest.ChooseDefaultIpAsync(typed, Ct);

        Assert.Null(choice.SendingIpId);
        Assert.NotNull(choice.Error);
        if (expected is not null) Assert.Equal(expected, choice.Error);
    }

    [Fact]
    public async Task OpenAsync_WithAnIpRemovedSinceTheUserChoseIt_RefusesBeforeCreatingABatch()
    {
        var (ingest, _) = Create();
        await using var db = app.Factory.Database.CreateDbContext();
        var before = await db.IngestBatches.CountAsync(Ct);

        var error = await Assert.ThrowsAsync<InvalidUploadException>(() => ingest.OpenAsync("operator@example.com", IngestSource.Upload, long.MaxValue, Ct));

        Assert.Contains("no longer tracked", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await db.IngestBatches.CountAsync(Ct));
    }
}
