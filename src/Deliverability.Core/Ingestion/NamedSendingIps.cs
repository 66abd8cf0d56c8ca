using System.Net;
using Deliverability.Core.Bounces;
using Npgsql;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// The sending IPs named in the bounces of one ingest run, with their ids: an IP not tracked yet is added to
/// sending_ips ("Found in bounces") in the caller's transaction the first time a chunk names it.
/// </summary>
internal sealed class NamedSendingIps(NpgsqlConnection connection)
{
    private readonly Dictionary<IPAddress, long> _trackedIps = new();

    /// <summary>The IPs known now, to forget the ones a rolled-back transaction added (<see cref="ForgetSince"/>).</summary>
    public List<IPAddress> Mark() => [.. _trackedIps.Keys];

    public void ForgetSince(List<IPAddress> known)
    {
        foreach (var ip in _trackedIps.Keys.Except(known).ToList())
        {
            _trackedIps.Remove(ip);
        }
    }

    public long IdOf(IPAddress address) => _trackedIps[Normalize(address)];

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>An IP named in a bounce becomes a tracked sending IP if it is not one yet.</summary>
    public async Task TrackAsync(IReadOnlyList<PreparedMessage> chunk, DateTimeOffset now, CancellationToken ct)
    {
        var missing = chunk.Where(m => m is { Duplicate: false, Parsed.Kind: MessageKind.Bounce or MessageKind.Feedback })
            .SelectMany(m => m.Parsed!.Recipients)
            .Where(r => r.SendingIp is not null)
            .Select(r => Normalize(r.SendingIp!))
            .Where(ip => !_trackedIps.ContainsKey(ip))
            .Distinct()
            .ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        await using (var insert = new NpgsqlCommand(
                         "INSERT INTO sending_ips (address, label, created_at) SELECT a, 'Found in bounces', @now FROM unnest(@a) AS a ON CONFLICT (address) DO NOTHING",
                         connection))
        {
            insert.Parameters.AddWithValue("a", missing);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using var command = new NpgsqlCommand("SELECT id, address FROM sending_ips WHERE address = ANY(@a)", connection);
        command.Parameters.AddWithValue("a", missing);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            _trackedIps[Normalize(reader.GetFieldValue<IPAddress>(1))] = reader.GetInt64(0);
        }
    }
}
