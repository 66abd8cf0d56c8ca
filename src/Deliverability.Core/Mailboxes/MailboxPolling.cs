using System.Security.Cryptography;
using Deliverability.Core.Alerts;
using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Jobs;
using Deliverability.Core.Secrets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core.Mailboxes;

/// <summary>What one poll did, as <c>deliverability mailbox poll</c> prints it.</summary>
public sealed record MailboxPollResult(long MailboxId, string Name)
{
    /// <summary>Another run polls this mailbox right now; this one did nothing.</summary>
    public bool Busy { get; init; }

    /// <summary>New messages read from the folder (UIDs above the last one recorded).</summary>
    public int Read { get; init; }

    /// <summary>Of those, messages this mailbox had already imported under another UID (a renumbered folder): not ingested again.</summary>
    public int AlreadyImported { get; init; }

    public int Bounces { get; init; }
    public int Complaints { get; init; }

    /// <summary>Bounces and complaints the after-import action was applied to (flagged or moved).</summary>
    public int ActedOn { get; init; }

    /// <summary>The ingest batches the messages went into, for the Uploads page.</summary>
    public IReadOnlyList<long> BatchIds { get; init; } = [];

    /// <summary>Why the poll failed (recorded on the mailbox's row), or null.</summary>
    public string? Error => Failure?.Error;

    /// <summary>The failure as recorded by <see cref="MailboxPolling.RecordFailureAsync"/>, or null when the poll succeeded.</summary>
    public MailboxPollFailed? Failure { get; init; }

    /// <summary>Messages read that were neither bounces nor complaints (or already imported): left exactly as they were.</summary>
    public int Untouched => Read - AlreadyImported - Bounces - Complaints;
}

/// <summary>
/// A poll of the mailbox failed: the one place this is recorded (<see cref="MailboxPolling.RecordFailureAsync"/>), and the
/// event an alert about "a mailbox failing" starts from. <see cref="WasHealthy"/> is true when the poll before succeeded
/// (or there was none): the change an alert wants.
/// </summary>
public sealed record MailboxPollFailed(long MailboxId, string Name, string Error, DateTimeOffset At, bool WasHealthy);

/// <summary>
/// Reads the new messages of a mailbox's folder and sends each through the same ingest pipeline as an upload. A message is
/// new when its UID is above <see cref="MailboxSource.LastUid"/> under the folder's UIDVALIDITY; each chunk's messages are
/// stored, read, and recorded with the new last UID in one transaction, so a run killed mid-way resumes where its last
/// chunk committed and re-reads at most one chunk, which the ingest's SHA-256 deduplication makes harmless. Messages are
/// fetched with BODY.PEEK (nothing is marked \Seen); only bounces and complaints get the after-import action.
/// </summary>
public sealed class MailboxPolling(
    IDbContextFactory<DeliverabilityDbContext> dbFactory, IServiceScopeFactory scopes, SecretProtector secrets, AlertEvents alerts, TimeProvider clock)
{
    /// <summary>Messages per ingest batch and per committed step of the last UID.</summary>
    public const int ChunkSize = 100;

    public static string ClaimName(long mailboxId) => $"mailbox-poll:{mailboxId}";

    public async Task<MailboxPollResult> PollAsync(long mailboxId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mailbox = await db.MailboxSources.AsNoTracking().SingleOrDefaultAsync(m => m.Id == mailboxId, ct);
        if (mailbox is null) return new MailboxPollResult(mailboxId, "") { Failure = new MailboxPollFailed(mailboxId, "", "This mailbox was removed.", clock.GetUtcNow(), false) };
        await using var claim = await JobClaim.TryTakeAsync(db.Database.GetConnectionString()!, ClaimName(mailboxId), JobClaim.DefaultLease, ct);
        if (claim is null) return new MailboxPollResult(mailboxId, mailbox.Name) { Busy = true };
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, claim.Lost);
        var endpoint = Endpoint(mailbox);
        var result = new MailboxPollResult(mailboxId, mailbox.Name);
        try
        {
            var secret = secrets.TryUnprotect(SecretPurposes.MailboxSecret, mailbox.ProtectedSecret)
                         ?? throw new MailboxActionException("The stored password cannot be decrypted (the Data Protection keys changed): enter it again.");
            using var client = await MailboxConnector.ConnectAsync(endpoint, secret, linked.Token);
            result = await ReadFolderAsync(client, mailbox, result, linked.Token);
            await client.DisconnectAsync(true, CancellationToken.None);
        }
        catch (Exception e) when (MailboxConnector.IsMailboxFailure(e))
        {
            var failed = await RecordFailureAsync(mailboxId, MailboxConnector.Describe(endpoint, e), CancellationToken.None);
            return result with { Failure = failed };
        }

        await db.MailboxSources.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LastPolledAt, clock.GetUtcNow())
            .SetProperty(m => m.LastSuccessAt, clock.GetUtcNow())
            .SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.LastErrorAt, (DateTimeOffset?)null), CancellationToken.None);
        return result;
    }

    /// <summary>
    /// Records a failed poll on the mailbox's row (the error and its time; the last success stays as it was) and returns the
    /// event, or null when the mailbox was removed. Every poll failure goes through here.
    /// </summary>
    public async Task<MailboxPollFailed?> RecordFailureAsync(long mailboxId, string error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var before = await db.MailboxSources.Where(m => m.Id == mailboxId).Select(m => new { m.Name, m.LastError, m.LastSuccessAt }).SingleOrDefaultAsync(ct);
        if (before is null) return null;
        var now = clock.GetUtcNow();
        var text = error.Length <= 1000 ? error : error[..1000];
        await db.MailboxSources.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LastPolledAt, now)
            .SetProperty(m => m.LastError, text)
            .SetProperty(m => m.LastErrorAt, now), ct);
        var failed = new MailboxPollFailed(mailboxId, before.Name, text, now, WasHealthy: before.LastError is null);
        if (failed.WasHealthy)
        {
            // Change-only: the first failure after a healthy poll; the key (mailbox and time) makes a retried job record it once.
            var lastSuccess = before.LastSuccessAt is { } at ? $"last success {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "no successful poll yet";
            await alerts.RaiseAsync(new AlertEventInput(AlertEventKind.MailboxFailing, $"mailbox-failing:{mailboxId}:{now:O}",
                $"Bounce mailbox failing: {before.Name}", $"{text} ({lastSuccess}).", now, LinkPath: "/settings"), ct);
        }

        return failed;
    }

    internal static MailboxEndpoint Endpoint(MailboxSource m) => new(m.Host, m.Port, m.Tls, m.UserName, m.SecretKind);

    private async Task<MailboxPollResult> ReadFolderAsync(ImapClient client, MailboxSource mailbox, MailboxPollResult result, CancellationToken ct)
    {
        var folder = await client.GetFolderAsync(mailbox.Folder, ct);
        // EXAMINE when nothing is to be changed: the server itself then guarantees no flag moves.
        await folder.OpenAsync(mailbox.AfterImport == MailboxAfterImport.Leave ? FolderAccess.ReadOnly : FolderAccess.ReadWrite, ct);
        IMailFolder? moveTo = mailbox.AfterImport == MailboxAfterImport.Move ? await MoveTargetAsync(client, mailbox, ct) : null;
        var uidValidity = (long)folder.UidValidity;
        // A changed UIDVALIDITY renumbered the folder: read it all again; what was imported before is known by its hash.
        var lastUid = mailbox.UidValidity == uidValidity ? mailbox.LastUid : 0;
        var query = lastUid == 0 ? SearchQuery.All : SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)lastUid + 1), UniqueId.MaxValue));
        // "n:*" also matches the highest UID when it is below n (RFC 3501), hence the filter.
        var uids = (await folder.SearchAsync(query, ct)).Where(u => u.Id > lastUid).OrderBy(u => u.Id).ToList();
        if (uids.Count == 0 && mailbox.UidValidity != uidValidity)
        {
            await CommitAsync(mailbox.Id, uidValidity, lastUid, [], ct);
        }

        var batches = new List<long>();
        foreach (var chunk in uids.Chunk(ChunkSize))
        {
            var step = await ImportChunkAsync(folder, mailbox, uidValidity, chunk, ct);
            if (step.BatchId is { } batchId) batches.Add(batchId);
            var acted = await ApplyAfterImportAsync(folder, mailbox, moveTo, step.Recognised, ct);
            result = result with
            {
                Read = result.Read + chunk.Length,
                AlreadyImported = result.AlreadyImported + step.Known,
                Bounces = result.Bounces + step.Bounces,
                Complaints = result.Complaints + step.Complaints,
                ActedOn = result.ActedOn + acted,
            };
        }

        return result with { BatchIds = batches };
    }

    private sealed record ChunkStep(long? BatchId, int Known, int Bounces, int Complaints, IList<UniqueId> Recognised);

    private async Task<ChunkStep> ImportChunkAsync(IMailFolder folder, MailboxSource mailbox, long uidValidity, UniqueId[] chunk, CancellationToken ct)
    {
        var fetched = new List<(UniqueId Uid, byte[] Raw, byte[] Sha)>(chunk.Length);
        foreach (var uid in chunk)
        {
            // BODY.PEEK[]: the exact bytes, and the server sets no \Seen.
            await using var stream = await folder.GetStreamAsync(uid, ct);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            var raw = buffer.ToArray();
            fetched.Add((uid, raw, SHA256.HashData(raw)));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var shas = fetched.Select(f => f.Sha).ToList();
        var known = (await db.MailboxMessages.Where(m => m.MailboxId == mailbox.Id && shas.Contains(m.Sha256)).Select(m => new { m.Sha256, m.Kind }).ToListAsync(ct))
            .DistinctBy(m => Convert.ToHexString(m.Sha256)).ToDictionary(m => Convert.ToHexString(m.Sha256), m => m.Kind);
        var fresh = fetched.Where(f => !known.ContainsKey(Convert.ToHexString(f.Sha))).DistinctBy(f => Convert.ToHexString(f.Sha)).ToList();
        long? batchId = null;
        if (fresh.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            await using var upload = await scope.ServiceProvider.GetRequiredService<Ingest>().OpenAsync($"mailbox:{mailbox.Name}", IngestSource.Mailbox, null, ct);
            foreach (var (uid, raw, _) in fresh)
            {
                await upload.AddAsync($"{mailbox.Folder}/{uidValidity}.{uid.Id}.eml", new MemoryStream(raw, writable: false), ct);
            }

            // Read here, not queued: the verdict (bounce or not) decides whether the message may be touched.
            await upload.SubmitAndReadAsync(ct);
            batchId = upload.BatchId;
        }

        var freshShas = fresh.Select(f => f.Sha).ToList();
        var parsed = (await db.RawMessages.Where(r => freshShas.Contains(r.Sha256)).Select(r => new { r.Sha256, r.Kind }).ToListAsync(ct))
            .ToDictionary(r => Convert.ToHexString(r.Sha256), r => r.Kind.ToString());
        var now = clock.GetUtcNow();
        var records = fetched.Select(f =>
        {
            var hex = Convert.ToHexString(f.Sha);
            var kind = known.GetValueOrDefault(hex) ?? parsed.GetValueOrDefault(hex) ?? NotStored;
            return new MailboxMessage { MailboxId = mailbox.Id, UidValidity = uidValidity, Uid = f.Uid.Id, Sha256 = f.Sha, Kind = kind, BatchId = batchId, ImportedAt = now };
        }).ToList();
        await CommitAsync(mailbox.Id, uidValidity, chunk[^1].Id, records, ct);

        var newlyCounted = records.Where(r => !known.ContainsKey(Convert.ToHexString(r.Sha256))).DistinctBy(r => Convert.ToHexString(r.Sha256)).ToList();
        var recognised = records.Where(r => IsRecognised(r.Kind)).Select(r => new UniqueId((uint)r.Uid)).ToList();
        return new ChunkStep(batchId, fetched.Count - fresh.Count,
            newlyCounted.Count(r => r.Kind == nameof(MessageKind.Bounce)), newlyCounted.Count(r => r.Kind == nameof(MessageKind.Feedback)), recognised);
    }

    /// <summary>The kind recorded for a message the ingest refused (too large, not a message): never touched.</summary>
    public const string NotStored = "NotStored";

    /// <summary>Bounces and complaints: the only messages an after-import action may touch.</summary>
    public static bool IsRecognised(string kind) => kind is nameof(MessageKind.Bounce) or nameof(MessageKind.Feedback);

    /// <summary>The records and the new last UID in one transaction: a record exists exactly when the UID counts as read.</summary>
    private async Task CommitAsync(long mailboxId, long uidValidity, long lastUid, List<MailboxMessage> records, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var uids = records.Select(r => r.Uid).ToList();
        var existing = (await db.MailboxMessages.Where(m => m.MailboxId == mailboxId && m.UidValidity == uidValidity && uids.Contains(m.Uid))
            .Select(m => m.Uid).ToListAsync(ct)).ToHashSet();
        db.MailboxMessages.AddRange(records.Where(r => !existing.Contains(r.Uid)));
        await db.SaveChangesAsync(ct);
        await db.MailboxSources.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.UidValidity, uidValidity)
            .SetProperty(m => m.LastUid, lastUid), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// After the records are committed, so a run killed here leaves a message untouched rather than touched and unrecorded.
    /// Flags are set silently and idempotently; a moved message is no longer in the folder, so it is never read again.
    /// </summary>
    private static async Task<int> ApplyAfterImportAsync(IMailFolder folder, MailboxSource mailbox, IMailFolder? moveTo, IList<UniqueId> recognised, CancellationToken ct)
    {
        if (recognised.Count == 0) return 0;
        switch (mailbox.AfterImport)
        {
            case MailboxAfterImport.Flag:
                var keywords = new HashSet<string>(StringComparer.Ordinal) { mailbox.AfterImportTarget ?? MailboxSettings.DefaultKeyword };
                await folder.StoreAsync(recognised, new StoreFlagsRequest(StoreAction.Add, keywords) { Silent = true }, ct);
                return recognised.Count;
            case MailboxAfterImport.Move when moveTo is not null:
                await folder.MoveToAsync(recognised, moveTo, ct);
                return recognised.Count;
            default:
                return 0;
        }
    }

    private static async Task<IMailFolder> MoveTargetAsync(ImapClient client, MailboxSource mailbox, CancellationToken ct)
    {
        try
        {
            return await client.GetFolderAsync(mailbox.AfterImportTarget!, ct);
        }
        catch (FolderNotFoundException)
        {
            throw new MailboxActionException($"The folder '{mailbox.AfterImportTarget}' to move imported bounces to does not exist on {mailbox.Host}: create it, or change the setting.");
        }
    }
}
