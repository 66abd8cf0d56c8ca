using Deliverability.Core.Bounces;
using Deliverability.Core.Data;
using Deliverability.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Core.Mailboxes;

/// <summary>A mailbox as the settings page and <c>deliverability mailbox list</c> show it: never its secret.</summary>
public sealed record MailboxRow(
    long Id, string Name, string Host, int Port, MailboxTls Tls, string UserName, MailboxSecretKind SecretKind, string Folder,
    MailboxAfterImport AfterImport, string? AfterImportTarget, int PollIntervalMinutes,
    DateTimeOffset? LastPolledAt, DateTimeOffset? LastSuccessAt, string? LastError, DateTimeOffset? LastErrorAt,
    int Imported, int Bounces, int Complaints)
{
    /// <summary>Messages read that were neither bounces nor complaints: left exactly as they were.</summary>
    public int Untouched => Imported - Bounces - Complaints;

    /// <summary>The last poll failed (its error is newer than its last success).</summary>
    public bool Failing => LastError is not null;
}

/// <summary>Adds, changes and removes mailbox sources (Admin only in the app); the secret is encrypted before it is stored.</summary>
public sealed class MailboxSources(IDbContextFactory<DeliverabilityDbContext> dbFactory, SecretProtector secrets, TimeProvider clock)
{
    public async Task<IReadOnlyList<MailboxRow>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = (await db.MailboxMessages
                .GroupBy(m => new { m.MailboxId, m.Kind })
                .Select(g => new { g.Key.MailboxId, g.Key.Kind, Count = g.Select(m => m.Sha256).Distinct().Count() })
                .ToListAsync(ct))
            .ToLookup(c => c.MailboxId);
        var sources = await db.MailboxSources.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);
        return sources.Select(m =>
        {
            var kinds = counts[m.Id].ToDictionary(c => c.Kind, c => c.Count);
            return new MailboxRow(m.Id, m.Name, m.Host, m.Port, m.Tls, m.UserName, m.SecretKind, m.Folder, m.AfterImport, m.AfterImportTarget,
                m.PollIntervalMinutes, m.LastPolledAt, m.LastSuccessAt, m.LastError, m.LastErrorAt,
                kinds.Values.Sum(), kinds.GetValueOrDefault(nameof(MessageKind.Bounce)), kinds.GetValueOrDefault(nameof(MessageKind.Feedback)));
        }).ToList();
    }

    /// <summary>The stored settings for the edit form; the secret is never read back (empty: keep it).</summary>
    public async Task<MailboxSettings?> SettingsAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MailboxSources.AsNoTracking().Where(m => m.Id == id).Select(m => new MailboxSettings
        {
            Name = m.Name, Host = m.Host, Port = m.Port, Tls = m.Tls, UserName = m.UserName, SecretKind = m.SecretKind, Folder = m.Folder,
            AfterImport = m.AfterImport, AfterImportTarget = m.AfterImportTarget, PollIntervalMinutes = m.PollIntervalMinutes,
        }).SingleOrDefaultAsync(ct);
    }

    public async Task<long> AddAsync(MailboxSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var valid = settings.Validated(secretRequired: true);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = new MailboxSource
        {
            Name = valid.Name, Host = valid.Host, UserName = valid.UserName, Folder = valid.Folder, CreatedAt = clock.GetUtcNow(),
            ProtectedSecret = secrets.Protect(SecretPurposes.MailboxSecret, valid.Secret!),
        };
        Apply(source, valid);
        db.MailboxSources.Add(source);
        await SaveAsync(db, valid.Name, ct);
        return source.Id;
    }

    /// <summary>Changes a mailbox; an empty secret keeps the stored one. Another server, user or folder starts reading from its first UID.</summary>
    public async Task UpdateAsync(long id, MailboxSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var valid = settings.Validated(secretRequired: false);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.MailboxSources.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw new MailboxSettingsException("This mailbox was removed meanwhile.");
        if (!string.Equals(source.Host, valid.Host, StringComparison.OrdinalIgnoreCase) || source.Port != valid.Port
            || source.UserName != valid.UserName || source.Folder != valid.Folder)
        {
            // Messages already imported are known by their SHA-256, so re-reading the new folder imports nothing twice.
            source.UidValidity = null;
            source.LastUid = 0;
        }

        source.Name = valid.Name;
        source.Host = valid.Host;
        source.UserName = valid.UserName;
        source.Folder = valid.Folder;
        if (!string.IsNullOrEmpty(valid.Secret))
        {
            source.ProtectedSecret = secrets.Protect(SecretPurposes.MailboxSecret, valid.Secret);
        }

        Apply(source, valid);
        await SaveAsync(db, valid.Name, ct);
    }

    /// <summary>Removes the mailbox and its import records; the evidence it brought in stays.</summary>
    public async Task<bool> RemoveAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MailboxSources.Where(m => m.Id == id).ExecuteDeleteAsync(ct) == 1;
    }

    public async Task<long?> FindAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trimmed = name.Trim();
        return await db.MailboxSources.Where(m => m.Name == trimmed).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct);
    }

    private static void Apply(MailboxSource source, MailboxSettings valid)
    {
        source.Port = valid.Port;
        source.Tls = valid.Tls;
        source.SecretKind = valid.SecretKind;
        source.AfterImport = valid.AfterImport;
        source.AfterImportTarget = valid.AfterImportTarget;
        source.PollIntervalMinutes = valid.PollIntervalMinutes;
    }

    private static async Task SaveAsync(DeliverabilityDbContext db, string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new MailboxSettingsException($"A mailbox named '{name}' already exists.");
        }
    }
}
