using Npgsql;

namespace Deliverability.Core.Jobs;

/// <summary>
/// Keeps a lease in one database row alive while its holder runs: every third of the lease it runs the holder's renewal,
/// and when the renewal finds the row taken by another holder it cancels <see cref="Lost"/>. A holder killed with kill -9
/// simply stops renewing, so the lease runs out in seconds and another run takes over (no lock to wait out).
/// </summary>
internal sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly TimeSpan _every;
    private readonly Func<NpgsqlConnection, CancellationToken, Task<bool>> _renew;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;

    /// <summary>Starts renewing at once; <paramref name="renew"/> extends the lease and is false when the row is no longer this holder's.</summary>
    public LeaseHeartbeat(string connectionString, TimeSpan lease, Func<NpgsqlConnection, CancellationToken, Task<bool>> renew)
    {
        _connectionString = connectionString;
        _every = lease / 3;
        _renew = renew;
        _beating = Task.Run(BeatAsync);
    }

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Host, process and a run id: who holds a lease, as written in its row.</summary>
    public static string NewHolder() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private async Task BeatAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_every, _stop.Token);
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(_stop.Token);
                if (!await _renew(connection, _stop.Token))
                {
                    await _lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                // The database is away for a moment: the holder's own writes fail too; the next beat tries again.
            }
        }
    }

    /// <summary>Stops renewing (the holder gives the row back itself).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _beating;
        _stop.Dispose();
        _lost.Dispose();
    }
}
