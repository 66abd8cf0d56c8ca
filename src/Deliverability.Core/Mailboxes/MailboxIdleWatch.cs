using System.Collections.Concurrent;
using Deliverability.Core.Data;
using Deliverability.Core.Secrets;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Mailboxes;

/// <summary>
/// Keeps an IMAP IDLE session (RFC 2177) open on the folder of every mailbox whose server offers IDLE, and asks for a poll
/// as soon as the server announces new mail instead of waiting out the poll interval. The poll stays the only path that
/// reads and imports (its claim, UIDVALIDITY/UID and after-import action), so a message announced twice, or announced
/// while a due poll runs, is still read once. The folder is opened read-only (EXAMINE): watching changes no flag.
/// A server without IDLE, or a mailbox that cannot be reached, is left to the scheduled polls, which record its errors.
/// </summary>
public sealed partial class MailboxIdleWatch(
    IDbContextFactory<DeliverabilityDbContext> dbFactory, SecretProtector secrets, MailboxPollRequests polls, TimeProvider clock,
    ILogger<MailboxIdleWatch> logger) : BackgroundService
{
    /// <summary>How often the list of mailboxes is read again (added, removed or changed mailboxes).</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    /// <summary>IDLE is re-issued this often: RFC 2177 lets servers drop a client idle for 30 minutes, and NATs drop less.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromMinutes(9);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<long, Watch> _watches = new();
    private readonly ConcurrentDictionary<long, bool> _idling = new();

    private sealed record Watch(string Settings, CancellationTokenSource Stop, Task Running);

    /// <summary>The mailboxes with an IDLE session open right now.</summary>
    public IReadOnlyCollection<long> Idling => [.. _idling.Where(x => x.Value).Select(x => x.Key)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SyncAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSyncFailed(e);
                }

                await Task.Delay(Refresh, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var id in _watches.Keys) await StopAsync(id);
        }
    }

    /// <summary>Starts a watch for each new mailbox, restarts the ones whose settings changed, stops the removed ones.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mailboxes = await db.MailboxSources.AsNoTracking().ToListAsync(ct);
        foreach (var id in _watches.Keys.Except(mailboxes.Select(m => m.Id)).ToList()) await StopAsync(id);
        foreach (var mailbox in mailboxes)
        {
            var settings = string.Join('\n', mailbox.Host, mailbox.Port, mailbox.Tls, mailbox.UserName, mailbox.SecretKind, mailbox.ProtectedSecret, mailbox.Folder);
            if (_watches.TryGetValue(mailbox.Id, out var watch))
            {
                if (watch.Settings == settings) continue;
                await StopAsync(mailbox.Id);
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _watches[mailbox.Id] = new Watch(settings, stop, Task.Run(() => WatchAsync(mailbox, stop.Token), CancellationToken.None));
        }
    }

    private async Task StopAsync(long mailboxId)
    {
        if (!_watches.TryRemove(mailboxId, out var watch)) return;
        await watch.Stop.CancelAsync();
        await watch.Running;
        watch.Stop.Dispose();
        _idling.TryRemove(mailboxId, out _);
    }

    private async Task WatchAsync(MailboxSource mailbox, CancellationToken ct)
    {
        var endpoint = MailboxPolling.Endpoint(mailbox);
        var retry = FirstRetry;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (secrets.TryUnprotect(SecretPurposes.MailboxSecret, mailbox.ProtectedSecret) is not { } secret) return;
                using var client = await MailboxConnector.ConnectAsync(endpoint, secret, ct);
                if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
                {
                    LogNoIdle(mailbox.Name, mailbox.PollIntervalMinutes);
                    await client.DisconnectAsync(true, CancellationToken.None);
                    return;
                }

                var folder = await client.GetFolderAsync(mailbox.Folder, ct);
                await folder.OpenAsync(FolderAccess.ReadOnly, ct);
                retry = FirstRetry;
                await IdleAsync(client, folder, mailbox.Id, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever broke (the server, the network, the database a poll request is written to), the watch waits and tries again.
                LogWatchFailed(mailbox.Name, MailboxConnector.IsMailboxFailure(e) ? MailboxConnector.Describe(endpoint, e) : e.GetType().Name + ": " + e.Message, retry.TotalSeconds);
            }
            finally
            {
                _idling[mailbox.Id] = false;
            }

            try
            {
                await Task.Delay(retry, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    /// <summary>
    /// IDLE until the folder holds more messages than it did (then a poll is asked for) or the renewal is due. The count is
    /// compared again before every IDLE, so a message announced between two IDLE commands is not missed.
    /// </summary>
    private async Task IdleAsync(ImapClient client, IMailFolder folder, long mailboxId, CancellationToken ct)
    {
        var known = folder.Count;
        while (!ct.IsCancellationRequested)
        {
            if (folder.Count != known)
            {
                var arrived = folder.Count > known;
                known = folder.Count;
                if (arrived)
                {
                    await polls.RequestAsync(mailboxId, ct);
                    // A burst (a thousand bounces after an outage) is announced message by message: one poll request per
                    // settle time, not one per message; whatever arrives meanwhile is counted at the next IDLE.
                    await Task.Delay(Settle, clock, ct);
                }
            }

            using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
            done.CancelAfter(Renewal);

            void OnCountChanged(object? sender, EventArgs e)
            {
                if (folder.Count != known)
                {
                    done.Cancel();
                }
            }

            folder.CountChanged += OnCountChanged;
            try
            {
                _idling[mailboxId] = true;
                await client.IdleAsync(done.Token, ct);
            }
            finally
            {
                folder.CountChanged -= OnCountChanged;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching mailboxes for new mail failed; polls go on: the list is read again in a minute.")]
    private partial void LogSyncFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "The server of mailbox {Mailbox} does not offer IMAP IDLE: it is polled every {Minutes} minutes only.")]
    private partial void LogNoIdle(string mailbox, int minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IDLE on mailbox {Mailbox} stopped: {Problem} Trying again in {Seconds} s; the scheduled polls go on.")]
    private partial void LogWatchFailed(string mailbox, string problem, double seconds);
}
