using System.Globalization;
using Deliverability.Core.Data;
using Deliverability.Core.Providers;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Evidence;

/// <summary>The parser's reading of one explorer row, its stored message, and (for a log line) the SMTP stage the receiver refused.</summary>
public sealed record BounceReadingView(IReadOnlyList<(string Label, string Value)> Reading, RawMessageText? Message, string? Command = null);

/// <summary>The explorer's row dialog and the IP page's raw-message dialog: a row's full reading and its stored message.</summary>
public sealed class BounceReading(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    /// <summary>The stored message, at most <paramref name="maxBytes"/> of it; null when it is no longer stored.</summary>
    public async Task<RawMessageText?> MessageAsync(long rawMessageId, int maxBytes, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RawMessageText.LoadAsync(db, rawMessageId, maxBytes, ct);
    }

    public async Task<BounceReadingView> LoadAsync(BounceRow row, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = ProviderCodeCatalog.Find(row.Provider, row.ProviderCode);
        var reading = new List<(string, string?)>
        {
            ("When", row.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"),
            ("Recipient", row.Recipient),
            ("Kind", row.Kind),
            ("Reason", row.Reason ?? "none"),
            ("Reply", $"{row.ReplyCode} {row.Status}".Trim()),
            ("Provider", row.Provider is null ? "unknown" : ProviderNames.Display(row.Provider)),
            ("Provider code", row.ProviderCode is null ? null : row.ProviderCode + (known is null ? " (not in our catalogue)" : $": {known.Meaning}")),
            ("Sending IP", row.SendingIp ?? "unknown"),
        };
        RawMessageText? message = null;
        string? command = null;
        if (row.Source == EvidenceSource.Bounce)
        {
            var bounce = await db.Bounces.AsNoTracking().Where(b => b.Id == row.Id)
                .Select(b => new { b.OriginalRecipient, b.Action, b.HardBounce, b.SendingIpSource, b.Sender, b.RemoteMta, b.ReportingMta, b.OriginalMessageId })
                .SingleOrDefaultAsync(ct);
            reading.AddRange([
                ("Original recipient", bounce?.OriginalRecipient), ("Action", bounce?.Action), ("Hard bounce", bounce is null ? null : bounce.HardBounce ? "yes" : "no"),
                ("IP found in", bounce?.SendingIpSource), ("Sender", bounce?.Sender), ("Remote MTA", bounce?.RemoteMta), ("Reporting MTA", bounce?.ReportingMta),
                ("Original Message-ID", bounce?.OriginalMessageId), ("Diagnostic", row.Diagnostic)]);
            message = row.RawMessageId is { } id ? await RawMessageText.LoadAsync(db, id, maxBytes, ct) : null;
        }
        else
        {
            var line = await db.MtaLogDeliveries.AsNoTracking().Where(d => d.Id == row.Id)
                .Select(d => new { d.LogHost, d.Program, d.QueueId, d.Sender, d.RelayHost, d.Command, d.Status, d.Blocklist, d.MessageId })
                .SingleOrDefaultAsync(ct);
            command = line?.Command;
            reading.AddRange([
                ("Log host", line?.LogHost), ("Program", line?.Program), ("Queue id", line?.QueueId), ("Status", line?.Status.ToString()),
                ("Stage refused", line?.Command), ("Relay", line?.RelayHost), ("Sender", line?.Sender), ("Blocklist named", line?.Blocklist), ("Message-ID", line?.MessageId)]);
        }

        return new BounceReadingView(reading.Where(r => !string.IsNullOrEmpty(r.Item2)).Select(r => (r.Item1, r.Item2!)).ToList(), message, command);
    }
}
