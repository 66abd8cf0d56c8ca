using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Alerts;

/// <summary>
/// An event as its source states it. <paramref name="Key"/> is the change's natural key (a second event with the same key is
/// the same change and is dropped); <paramref name="LinkPath"/> defaults to the IP's page, else the case's, else the history.
/// </summary>
public sealed record AlertEventInput(
    AlertEventKind Kind,
    string Key,
    string Title,
    string Summary,
    DateTimeOffset OccurredAt,
    long? SendingIpId = null,
    string? Address = null,
    long? DelistingCaseId = null,
    string? LinkPath = null)
{
    public string Link => LinkPath ?? (SendingIpId is { } ip ? $"/ips/{ip}" : DelistingCaseId is { } c ? $"/delisting/{c}" : AlertPaths.History);
}

public static class AlertPaths
{
    public const string History = "/alerts";
    public const string Settings = "/settings/alerts";
}

/// <summary>
/// Records events (table alert_events), once per natural key. Sources that decide a fact in a transaction call
/// <see cref="RecordAsync"/> on their own context, so the event commits or rolls back with the fact; others (the mailbox
/// poller) call <see cref="RaiseAsync"/>. Either way the event is then turned into alerts by <see cref="AlertStacking"/>.
/// </summary>
public sealed class AlertEvents(IDbContextFactory<DeliverabilityDbContext> dbFactory, AlertRequests requests, TimeProvider clock)
{
    /// <summary>
    /// Records the event and asks for it to be sent; false when an event with its key was recorded before (the same change).
    /// Example: <c>RaiseAsync(new AlertEventInput(AlertEventKind.MailboxFailing, $"mailbox-failing:{id}:{since:O}", ...))</c>.
    /// </summary>
    public async Task<bool> RaiseAsync(AlertEventInput input, CancellationToken ct)
    {
        bool added;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            added = await RecordAsync(db, input, clock.GetUtcNow(), ct);
        }

        if (added)
        {
            await requests.ProcessAsync(ct);
        }

        return added;
    }

    /// <summary>
    /// Inserts the event through <paramref name="db"/>'s connection and transaction; false when its key exists. An INSERT ... ON
    /// CONFLICT DO NOTHING, so a known key never fails the caller's transaction.
    /// </summary>
    public static async Task<bool> RecordAsync(DeliverabilityDbContext db, AlertEventInput input, DateTimeOffset now, CancellationToken ct,
        AlertEventState state = AlertEventState.New)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var kind = input.Kind.ToString();
        var stateName = state.ToString();
        var title = Cut(input.Title, 500);
        var summary = Cut(input.Summary, 2000);
        var key = Cut(input.Key, 500);
        var link = Cut(input.Link, 200);
        var rows = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO alert_events (kind, key, sending_ip_id, address, delisting_case_id, title, summary, link_path, occurred_at, recorded_at, state)
            VALUES ({kind}, {key}, {input.SendingIpId}, {input.Address}, {input.DelistingCaseId}, {title}, {summary}, {link}, {input.OccurredAt}, {now}, {stateName})
            ON CONFLICT (key) DO NOTHING
            """, ct);
        return rows == 1;
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
