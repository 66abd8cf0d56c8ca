using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Deliverability.Testing;

/// <summary>A message as the IMAP server holds it: what a test checks was left alone (no \Seen, no keyword, not moved).</summary>
public sealed record ImapMessageState(uint Uid, string? MessageId, string? Subject, MessageFlags Flags, IReadOnlySet<string> Keywords)
{
    public bool Seen => Flags.HasFlag(MessageFlags.Seen);
}

/// <summary>
/// The private Dovecot that scripts/imap-up.sh runs (./test.sh starts it): port DELIVERABILITY_IMAP_PORT (default 55143),
/// one test user. Each test works in folders of its own, so tests running side by side never see each other's mail.
/// No server means a loud failure, never a skip.
/// </summary>
public static class TestImap
{
    public const string Host = "127.0.0.1";
    public static int Port => int.TryParse(Environment.GetEnvironmentVariable("DELIVERABILITY_IMAP_PORT"), out var port) ? port : 55143;
    public static string User => Environment.GetEnvironmentVariable("DELIVERABILITY_IMAP_USER") is { Length: > 0 } u ? u : "bounces@deliverability.test";
    public static string Password => Environment.GetEnvironmentVariable("DELIVERABILITY_IMAP_PASSWORD") is { Length: > 0 } p ? p : "imap-test-password";

    public static string NewFolderName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task<ImapClient> ConnectAsync(CancellationToken ct = default)
    {
        var client = new ImapClient();
        try
        {
            await client.ConnectAsync(Host, Port, SecureSocketOptions.None, ct);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new InvalidOperationException(
                $"The mailbox tests need Dovecot on {Host}:{Port} (DELIVERABILITY_IMAP_PORT). Start it with scripts/imap-up.sh, or run ./test.sh.", e);
        }

        await client.AuthenticateAsync(User, Password, ct);
        return client;
    }

    /// <summary>Creates the folder (and a move target when named) and appends the messages in order; returns their UIDs.</summary>
    public static async Task<IReadOnlyList<uint>> CreateFolderAsync(string folder, IEnumerable<byte[]> messages, CancellationToken ct = default, params string[] alsoCreate)
    {
        using var client = await ConnectAsync(ct);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var created = await root.CreateAsync(folder, true, ct) ?? throw new InvalidOperationException($"Dovecot did not create {folder}.");
        foreach (var other in alsoCreate)
        {
            await root.CreateAsync(other, true, ct);
        }

        var uids = await AppendAsync(created, messages, ct);
        await client.DisconnectAsync(true, ct);
        return uids;
    }

    public static async Task<IReadOnlyList<uint>> AppendAsync(string folder, IEnumerable<byte[]> messages, CancellationToken ct = default)
    {
        using var client = await ConnectAsync(ct);
        var uids = await AppendAsync(await client.GetFolderAsync(folder, ct), messages, ct);
        await client.DisconnectAsync(true, ct);
        return uids;
    }

    /// <summary>Deletes the folder and creates it again with these messages: the server gives it a new UIDVALIDITY.</summary>
    public static async Task<uint> RecreateFolderAsync(string folder, IEnumerable<byte[]> messages, CancellationToken ct = default)
    {
        using var client = await ConnectAsync(ct);
        var old = await client.GetFolderAsync(folder, ct);
        await old.OpenAsync(FolderAccess.ReadOnly, ct);
        var before = old.UidValidity;
        await old.CloseAsync(false, ct);
        await old.DeleteAsync(ct);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var created = await root.CreateAsync(folder, true, ct) ?? throw new InvalidOperationException($"Dovecot did not create {folder}.");
        await AppendAsync(created, messages, ct);
        await created.OpenAsync(FolderAccess.ReadOnly, ct);
        var after = created.UidValidity;
        await client.DisconnectAsync(true, ct);
        return after != before ? after : throw new InvalidOperationException($"Dovecot kept UIDVALIDITY {before} for the recreated folder {folder}.");
    }

    /// <summary>Every message of the folder with its flags, read with EXAMINE and headers only (the test changes nothing).</summary>
    public static async Task<IReadOnlyList<ImapMessageState>> StateAsync(string folder, CancellationToken ct = default)
    {
        using var client = await ConnectAsync(ct);
        var mailFolder = await client.GetFolderAsync(folder, ct);
        await mailFolder.OpenAsync(FolderAccess.ReadOnly, ct);
        var summaries = mailFolder.Count == 0
            ? []
            : await mailFolder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope, ct);
        await client.DisconnectAsync(true, ct);
        return summaries.Select(s => new ImapMessageState(s.UniqueId.Id, s.Envelope?.MessageId, s.Envelope?.Subject, s.Flags ?? MessageFlags.None,
            (s.Keywords ?? new HashSet<string>()).ToHashSet(StringComparer.Ordinal))).ToList();
    }

    public static async Task<uint> UidValidityAsync(string folder, CancellationToken ct = default)
    {
        using var client = await ConnectAsync(ct);
        var mailFolder = await client.GetFolderAsync(folder, ct);
        await mailFolder.OpenAsync(FolderAccess.ReadOnly, ct);
        var value = mailFolder.UidValidity;
        await client.DisconnectAsync(true, ct);
        return value;
    }

    private static async Task<IReadOnlyList<uint>> AppendAsync(IMailFolder folder, IEnumerable<byte[]> messages, CancellationToken ct)
    {
        var uids = new List<uint>();
        foreach (var batch in messages.Chunk(100))
        {
            var requests = batch.Select(raw => (IAppendRequest)new AppendRequest(MimeMessage.Load(new MemoryStream(raw)), MessageFlags.None)).ToList();
            var appended = await folder.AppendAsync(requests, ct);
            uids.AddRange(appended.Select(u => u.Id));
        }

        return uids;
    }
}
