using Deliverability.Core.Data;
using Deliverability.Core.Secrets;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Checks.Storage;

/// <summary>What the settings page may show of the stored key: whether one is stored, and (for Admins) its masked form.</summary>
public sealed record SpamhausDqsKeyState(bool Stored, string? Masked, bool Unreadable);

/// <summary>
/// The Spamhaus DQS key kept in the database, encrypted at rest (<see cref="SecretProtector"/>). Saving and removing it is an
/// Admin's decision (the page checks the role); checks read it through <see cref="ReadAsync"/>.
/// </summary>
public sealed class SpamhausDqsKeys(IDbContextFactory<DeliverabilityDbContext> dbFactory, SecretProtector secrets, TimeProvider clock)
{
    /// <summary>Letters and digits, as the Spamhaus account shows it; null when acceptable.</summary>
    public static string? Validate(string? key) =>
        key is { Length: >= 8 and <= 200 } k && k.All(char.IsAsciiLetterOrDigit) ? null : "A DQS key is letters and digits (your Spamhaus account shows it).";

    /// <summary>Stores <paramref name="key"/> encrypted (null removes it).</summary>
    public async Task SaveAsync(string? key, CancellationToken ct)
    {
        key = key?.Trim();
        if (key is not null && Validate(key) is { } problem)
        {
            throw new ArgumentException(problem, nameof(key));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.ChecksSettings.SingleOrDefaultAsync(x => x.Id == ChecksSettings.SingletonId, ct);
        if (settings is null)
        {
            settings = new ChecksSettings();
            db.ChecksSettings.Add(settings);
        }

        settings.ProtectedSpamhausDqsKey = key is null ? null : secrets.Protect(SecretPurposes.SpamhausDqsKey, key);
        settings.LegacyPlainSpamhausDqsKey = null;
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The stored key in clear for a check run; null when none is stored or it cannot be decrypted.</summary>
    public async Task<string?> ReadAsync(DeliverabilityDbContext db, CancellationToken ct)
    {
        var row = await LoadAsync(db, ct);
        return row is null ? null : Decrypt(row.Value.Protected, row.Value.Plain);
    }

    public async Task<SpamhausDqsKeyState> DescribeAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await LoadAsync(db, ct);
        if (row is null || (string.IsNullOrWhiteSpace(row.Value.Protected) && string.IsNullOrWhiteSpace(row.Value.Plain)))
        {
            return new SpamhausDqsKeyState(false, null, false);
        }

        var key = Decrypt(row.Value.Protected, row.Value.Plain);
        return new SpamhausDqsKeyState(true, key is null ? null : ChecksSettings.Mask(key), key is null);
    }

    /// <summary>Encrypts a key stored in plain text by an older version and clears the plain column; returns how many it encrypted.</summary>
    public async Task<int> EncryptPlainKeysAsync(DeliverabilityDbContext db, CancellationToken ct)
    {
        var rows = await db.ChecksSettings.Where(x => x.LegacyPlainSpamhausDqsKey != null).ToListAsync(ct);
        foreach (var row in rows)
        {
            var plain = row.LegacyPlainSpamhausDqsKey!.Trim();
            row.ProtectedSpamhausDqsKey = plain.Length == 0 ? null : secrets.Protect(SecretPurposes.SpamhausDqsKey, plain);
            row.LegacyPlainSpamhausDqsKey = null;
        }

        await db.SaveChangesAsync(ct);
        return rows.Count;
    }

    private static async Task<(string? Protected, string? Plain)?> LoadAsync(DeliverabilityDbContext db, CancellationToken ct)
    {
        var row = await db.ChecksSettings.AsNoTracking().Where(x => x.Id == ChecksSettings.SingletonId)
            .Select(x => new { x.ProtectedSpamhausDqsKey, x.LegacyPlainSpamhausDqsKey }).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.ProtectedSpamhausDqsKey, row.LegacyPlainSpamhausDqsKey);
    }

    private string? Decrypt(string? protectedKey, string? plain)
    {
        if (!string.IsNullOrWhiteSpace(protectedKey))
        {
            return secrets.TryUnprotect(SecretPurposes.SpamhausDqsKey, protectedKey);
        }

        // Not yet encrypted by `deliverability migrate`: still usable, never shown.
        return string.IsNullOrWhiteSpace(plain) ? null : plain.Trim();
    }
}
