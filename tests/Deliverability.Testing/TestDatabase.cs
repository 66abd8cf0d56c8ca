using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Deliverability.Testing;

/// <summary>
/// A fresh, migrated PostgreSQL database for one test class, dropped afterwards. The server comes from
/// ConnectionStrings__Deliverability (./test.sh starts one); no server means a loud failure, never a skip.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable, IDbContextFactory<DeliverabilityDbContext>
{
    private const string DefaultServer = "Host=127.0.0.1;Port=55432;Database=deliverability;Username=deliverability";

    private TestDatabase(string name, string connectionString, string adminConnectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        AdminConnectionString = adminConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }
    private string AdminConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Deliverability") is { Length: > 0 } env ? env : DefaultServer;
        var name = $"t_{Guid.NewGuid():N}";
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The integration tests need PostgreSQL at '{admin.Host}:{admin.Port}' (ConnectionStrings__Deliverability). " +
                "Start it with scripts/pg-up.sh, or run ./test.sh.", e);
        }

        var database = new TestDatabase(name, new NpgsqlConnectionStringBuilder(server)
        {
            Database = name,
            // Opening a connection waits 15 s by default; beside a full build at load 100+ that is not enough.
            Timeout = 60,
        }.ConnectionString, admin.ConnectionString);
        if (migrate)
        {
            await using var db = database.CreateDbContext();
            await db.Database.MigrateAsync();
        }

        return database;
    }

    public DeliverabilityDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<DeliverabilityDbContext>();
        Core.DependencyInjection.ConfigureNpgsql(options, ConnectionString);
        return new DeliverabilityDbContext(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // An autovacuum worker (run by the superuser) is busy in the database; FORCE may not end it. It soon stops.
                await Task.Delay(500);
            }
        }
    }
}
