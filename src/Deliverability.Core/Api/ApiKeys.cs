using System.Security.Cryptography;
using System.Text;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Api;

/// <summary>Creates, checks and revokes API keys. Keys are 256-bit random tokens; only their SHA-256 is stored.</summary>
public sealed class ApiKeys(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public const string TokenPrefix = "dlv_";

    public sealed record CreatedKey(ApiKey Key, string Token);

    /// <summary>A key as the settings list shows it (never its hash).</summary>
    public sealed record KeyRow(long Id, string Name, string Prefix, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    /// <summary>Live keys first, newest first.</summary>
    public async Task<List<KeyRow>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt)
            .Select(k => new KeyRow(k.Id, k.Name, k.Prefix, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(ct);
    }

    public async Task<CreatedKey> CreateAsync(string name, string createdBy, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("Give the key a name that says who uses it, e.g. \"postfix on mx1\".", nameof(name));
        }

        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ApiKey
        {
            Name = name.Trim().Length > 100 ? name.Trim()[..100] : name.Trim(),
            Prefix = token[..12],
            Hash = Hash(token),
            CreatedBy = createdBy,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedKey(key, token);
    }

    /// <summary>The key a token belongs to, if it exists and is not revoked; records when it was last used.</summary>
    public async Task<ApiKey?> FindActiveAsync(string token, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, ct);
        if (key is not null)
        {
            var now = clock.GetUtcNow();
            if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
            {
                await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
            }
        }

        return key;
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, clock.GetUtcNow()), ct) > 0;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
