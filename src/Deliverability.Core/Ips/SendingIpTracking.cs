using System.Net;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ips;

/// <summary>What became of a request to track an address.</summary>
public enum TrackIpOutcome
{
    Tracked,
    Invalid,
    AlreadyTracked,
}

/// <summary>The answer to <see cref="SendingIpTracking.TrackAsync"/>: the new IP's id and address, or why there is none.</summary>
public sealed record TrackIpResult(TrackIpOutcome Outcome, long? Id, IPAddress? Address, string? Error);

/// <summary>
/// Starts and stops tracking sending IPs by hand (the IP list's "Add" and "Delete"). Ingestion adds the IPs it finds itself;
/// this is the operator's way in and out.
/// </summary>
public sealed class SendingIpTracking(IDbContextFactory<DeliverabilityDbContext> dbFactory, TimeProvider clock)
{
    public async Task<TrackIpResult> TrackAsync(string? address, string? label, CancellationToken ct)
    {
        if (!SendingIpAddress.TryParse(address, out var parsed, out var error))
        {
            return new TrackIpResult(TrackIpOutcome.Invalid, null, null, error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.SendingIps.AnyAsync(x => x.Address == parsed, ct))
        {
            return new TrackIpResult(TrackIpOutcome.AlreadyTracked, null, parsed, $"{parsed} is already tracked.");
        }

        var ip = new SendingIp { Address = parsed, Label = string.IsNullOrWhiteSpace(label) ? null : label.Trim(), CreatedAt = clock.GetUtcNow() };
        db.SendingIps.Add(ip);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Added by someone else (or an ingest) since the check above.
            return new TrackIpResult(TrackIpOutcome.AlreadyTracked, null, parsed, $"{parsed} is already tracked.");
        }

        return new TrackIpResult(TrackIpOutcome.Tracked, ip.Id, parsed, null);
    }

    /// <summary>What stopping tracking does, in the words the confirmation shows.</summary>
    public const string StopTrackingConsequences =
        "Its checks, checklist, delisting cases and attribution rules are deleted; its bounces, complaints, log lines and SNDS rows stay, unattributed.";

    /// <summary>Stops tracking the IP (see <see cref="StopTrackingConsequences"/>: the foreign keys cascade or set null). False when it was gone already.</summary>
    public async Task<bool> StopTrackingAsync(long sendingIpId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SendingIps.Where(x => x.Id == sendingIpId).ExecuteDeleteAsync(ct) > 0;
    }
}
