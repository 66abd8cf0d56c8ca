using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;

namespace Deliverability.Core.Jobs;

/// <summary>
/// "Only one run of this at a time" without a lock that outlives a crash: a named row in job_claims (name, claimed_by,
/// claimed_until) that the run holds with a short lease and renews while it lives (<see cref="LeaseHeartbeat"/>). A run
/// killed mid-way stops renewing, so the next run takes the name over as soon as the lease runs out (seconds), where a
/// Hangfire DisableConcurrentExecution lock stayed for up to ten minutes and kept a worker waiting for it.
/// Times come from the database clock: every instance of the app agrees on it.
/// </summary>
public sealed class JobClaim : IAsyncDisposable
{
    /// <summary>How long a claim outlives its last heartbeat: the longest a crashed run keeps the next one waiting.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(15);

    private readonly string _connectionString;
    private readonly LeaseHeartbeat _heartbeat;

    private JobClaim(string connectionString, string name, string holder, TimeSpan lease)
    {
        _connectionString = connectionString;
        Name = name;
        Holder = holder;
        Lease = lease;
        _heartbeat = new LeaseHeartbeat(connectionString, lease, RenewAsync);
    }

    public string Name { get; }

    /// <summary>Who holds the claim: host, process and a run id, as written in claimed_by.</summary>
    public string Holder { get; }

    public TimeSpan Lease { get; }

    /// <summary>Cancelled when another run took the claim over (this one was too slow to renew it).</summary>
    public CancellationToken Lost => _heartbeat.Lost;

    /// <summary>Takes the name when nobody holds it or its holder's lease ran out; null when a live run holds it.</summary>
    public static async Task<JobClaim?> TryTakeAsync(string connectionString, string name, TimeSpan lease, CancellationToken ct)
    {
        var holder = LeaseHeartbeat.NewHolder();
        holder = holder.Length > 200 ? holder[..200] : holder; // claimed_by's length
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var take = new NpgsqlCommand("""
            INSERT INTO job_claims (name, claimed_by, claimed_until) VALUES (@name, @holder, clock_timestamp() + @lease)
            ON CONFLICT (name) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
            WHERE job_claims.claimed_until < clock_timestamp()
            """, connection);
        take.Parameters.AddWithValue("name", name);
        take.Parameters.AddWithValue("holder", holder);
        take.Parameters.AddWithValue("lease", lease);
        return await take.ExecuteNonQueryAsync(ct) == 1 ? new JobClaim(connectionString, name, holder, lease) : null;
    }

    /// <summary>
    /// Waits (polling) while a live run holds the name, up to <paramref name="wait"/>; null if it still holds it then.
    /// A dead holder costs at most its lease.
    /// </summary>
    public static async Task<JobClaim?> TakeAsync(string connectionString, string name, TimeSpan lease, TimeSpan wait, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await TryTakeAsync(connectionString, name, lease, ct) is { } claim)
            {
                return claim;
            }

            if (waited.Elapsed >= wait)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    private async Task<bool> RenewAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var renew = new NpgsqlCommand(
            "UPDATE job_claims SET claimed_until = clock_timestamp() + @lease WHERE name = @name AND claimed_by = @holder", connection);
        renew.Parameters.AddWithValue("lease", Lease);
        renew.Parameters.AddWithValue("name", Name);
        renew.Parameters.AddWithValue("holder", Holder);
        return await renew.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Gives the name back: the next run may take it at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _heartbeat.DisposeAsync();
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var release = new NpgsqlCommand("DELETE FROM job_claims WHERE name = @name AND claimed_by = @holder", connection);
            release.Parameters.AddWithValue("name", Name);
            release.Parameters.AddWithValue("holder", Holder);
            await release.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Not given back: the lease runs out by itself in seconds.
        }
    }
}

/// <summary>The row behind a <see cref="JobClaim"/>: written only by that class, with SQL on the database clock.</summary>
public sealed class JobClaimEntry
{
    public required string Name { get; set; }
    public required string ClaimedBy { get; set; }
    public DateTimeOffset ClaimedUntil { get; set; }
}

public sealed class JobClaimEntryConfiguration : IEntityTypeConfiguration<JobClaimEntry>
{
    public void Configure(EntityTypeBuilder<JobClaimEntry> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("job_claims");
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.ClaimedBy).HasMaxLength(200);
    }
}
