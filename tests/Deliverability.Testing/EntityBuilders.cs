using System.Net;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;

namespace Deliverability.Testing;

/// <summary>The rows tests need, with the required fields filled: a test sets only what it is about.</summary>
public static class EntityBuilders
{
    /// <summary>Stores a tracked sending IP (created now unless <paramref name="configure"/> says otherwise) and returns its id.</summary>
    public static async Task<long> AddSendingIpAsync(this DeliverabilityDbContext db, string address, Action<SendingIp>? configure = null, CancellationToken ct = default)
    {
        var ip = new SendingIp { Address = IPAddress.Parse(address), CreatedAt = DateTimeOffset.UtcNow };
        configure?.Invoke(ip);
        db.SendingIps.Add(ip);
        await db.SaveChangesAsync(ct);
        return ip.Id;
    }
}
