using System.Net;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Ingestion;

/// <summary>The IP that bounces naming none are attributed to, or why the one asked for cannot be used.</summary>
public sealed record DefaultIpChoice(long? SendingIpId, string? Error);

/// <summary>
/// Every way evidence comes in (the Uploads page, the API, the CLI, the demo) goes through here: open a batch, add or
/// refuse files (each stored compressed before anything is parsed), then submit it to be read. The upload owns its
/// ending: one that stops before it is submitted still has what it stored read, and an empty one fails with its reason.
/// </summary>
public sealed class Ingest(
    IDbContextFactory<DeliverabilityDbContext> dbFactory, IngestUploads store, IJobScheduler jobs, IServiceScopeFactory scopes, IOptions<IngestOptions> options)
{
    public long MaxFileBytes => options.Value.MaxFileBytes;

    /// <summary>The tracked IP named by an address typed by a user (API query, CLI option); null text means none.</summary>
    public async Task<DefaultIpChoice> ChooseDefaultIpAsync(string? typed, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(typed)) return new(null, null);
        if (!SendingIpAddress.TryParse(typed, out var address, out var error)) return new(null, error);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = await db.SendingIps.Where(x => x.Address == address).Select(x => (long?)x.Id).SingleOrDefaultAsync(ct);
        return id is null ? new(null, NotTracked(address)) : new(id, null);
    }

    /// <summary>Opens a batch. The default IP must be tracked (it may have been removed since the user chose it).</summary>
    public async Task<IngestUpload> OpenAsync(string submittedBy, IngestSource source, long? defaultSendingIpId, CancellationToken ct)
    {
        if (defaultSendingIpId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.SendingIps.AnyAsync(x => x.Id == id, ct)) throw new InvalidUploadException("The sending IP chosen for this upload is no longer tracked.");
        }

        var batchId = await store.CreateBatchAsync(submittedBy, source, defaultSendingIpId, ct);
        return new IngestUpload(batchId, store, jobs, scopes, options.Value.MaxFileBytes);
    }

    /// <summary>The refusal of a file over the size limit, the same words wherever it was sent from.</summary>
    public static string TooLarge(string name, long limit) =>
        $"{name} is larger than the upload limit of {UploadedFileReader.FormatBytes(limit)} (setting Ingest:MaxFileBytes).";

    private static string NotTracked(IPAddress address) => $"{address} is not a tracked sending IP: add it first (Sending IPs page).";
}

/// <summary>One batch being received. Dispose it: an upload that was never submitted is settled then, never left pending.</summary>
public sealed class IngestUpload : IAsyncDisposable
{
    private readonly IngestUploads _store;
    private readonly IJobScheduler _jobs;
    private readonly IServiceScopeFactory _scopes;
    private readonly long _limit;
    private readonly List<string> _refusals = [];
    private bool _ended;

    internal IngestUpload(long batchId, IngestUploads store, IJobScheduler jobs, IServiceScopeFactory scopes, long limit)
    {
        BatchId = batchId;
        _store = store;
        _jobs = jobs;
        _scopes = scopes;
        _limit = limit;
    }

    public long BatchId { get; }

    public int Stored { get; private set; }

    /// <summary>Why each refused file was refused, in the order they came.</summary>
    public IReadOnlyList<string> Refusals => _refusals;

    /// <summary>
    /// Stores one file read from <paramref name="content"/> (the caller's stream), or records why it is refused (over the
    /// size limit as read): the refusal, null when stored, is also shown on the batch page. Other errors (the client went
    /// away) are the caller's to handle.
    /// </summary>
    public Task<string?> AddAsync(string name, Stream content, CancellationToken ct) => StoreAsync(name, 0, content, ct);

    /// <summary>As <see cref="AddAsync(string, Stream, CancellationToken)"/> for a file whose size is known first: one over the limit is refused unopened.</summary>
    public async Task<string?> AddAsync(string name, long size, Func<Stream> open, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (size > _limit) return await RefuseAsync(name, size, Ingest.TooLarge(name, _limit), ct);
        await using var content = open();
        return await StoreAsync(name, size, content, ct);
    }

    private async Task<string?> StoreAsync(string name, long size, Stream content, CancellationToken ct)
    {
        try
        {
            await _store.AddFileAsync(BatchId, name, content, ct);
            Stored++;
            return null;
        }
        catch (InvalidUploadException e)
        {
            return await RefuseAsync(name, size, e.Message, ct);
        }
    }

    /// <summary>Records a file that could not be taken (for example a browser that stopped sending it), with why.</summary>
    public async Task<string> RefuseAsync(string name, long size, string error, CancellationToken ct)
    {
        await _store.AddRefusedFileAsync(BatchId, name, size, error, ct);
        _refusals.Add(error);
        return error;
    }

    /// <summary>Every file is in: the batch is handed to the scheduler (a Hangfire job in the app).</summary>
    public async Task SubmitAsync(CancellationToken ct)
    {
        await _store.MarkSubmittedAsync(BatchId, ct);
        _ended = true;
        await _jobs.EnqueueAsync<IngestBatchJob>(j => j.RunAsync(BatchId, CancellationToken.None), ct);
    }

    /// <summary>Every file is in, and the caller waits for the reading (the CLI, the demo, benchmarks): read in this process, now.</summary>
    public async Task SubmitAndReadAsync(CancellationToken ct)
    {
        await _store.MarkSubmittedAsync(BatchId, ct);
        _ended = true;
        await using var scope = _scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(BatchId, ct);
    }

    /// <summary>The upload stopped early: what was stored is read; with nothing stored the batch fails with <paramref name="reasonWhenEmpty"/>.</summary>
    public async Task AbandonAsync(string reasonWhenEmpty)
    {
        if (_ended) return;
        _ended = true;
        if (await _store.SettleUnsubmittedAsync(BatchId, reasonWhenEmpty, CancellationToken.None))
        {
            await _jobs.EnqueueAsync<IngestBatchJob>(j => j.RunAsync(BatchId, CancellationToken.None), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync() => await AbandonAsync("The upload ended before any file was stored.");
}
