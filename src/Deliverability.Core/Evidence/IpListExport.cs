using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Evidence;

/// <summary>One sending IP as the export writes it: its last diagnosed status and the lists its newest check run found it on.</summary>
public sealed record IpExportRow(
    long Id, IPAddress Address, string? Label, IpHealth Status, int ListedOn, IReadOnlyList<string> ListedByChecks, int? SenderScore,
    int Bounces24h, int Bounces7d, double? HardBounceRate, double? UnknownUserRate, string? BlockedBy, string? BlockCode,
    DateTimeOffset? BlockedSince, DateTimeOffset? LastCheckedAt, int OpenItems, int OpenCases);

/// <summary>
/// The sending IP list as CSV or JSON lines, every IP in address order, streamed as it is read. <c>listed_on</c> is the
/// diagnosis's count (check listings and blocklists named by refusals); <c>listed_by_checks</c> names only the lists
/// whose newest completed check answered "listed". An unknown Sender Score or rate is left empty (null), never 0.
/// </summary>
public static class IpListExport
{
    public static readonly string[] Columns =
    [
        "id", "address", "label", "status", "listed_on", "listed_by_checks", "sender_score", "bounces_24h", "bounces_7d",
        "hard_bounce_rate", "unknown_user_rate", "blocked_by", "block_code", "blocked_since", "last_checked_at", "open_items", "open_cases",
    ];

    private static readonly string[] NumberColumns = ["id", "listed_on", "sender_score", "bounces_24h", "bounces_7d", "hard_bounce_rate", "unknown_user_rate", "open_items", "open_cases"];

    public static async IAsyncEnumerable<IpExportRow> RowsAsync(DeliverabilityDbContext db, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var rows = from ip in db.SendingIps.AsNoTracking()
                   join s in db.IpStatus on ip.Id equals s.SendingIpId into statuses
                   from s in statuses.DefaultIfEmpty()
                   orderby ip.Address
                   select new
                   {
                       ip.Id, ip.Address, ip.Label,
                       Health = s == null ? IpHealth.NoData : s.Health,
                       ListedOn = s == null ? 0 : s.ListedOn,
                       SenderScore = s == null ? null : s.SenderScore,
                       Bounces24h = s == null ? 0 : s.Bounces24h,
                       Bounces7d = s == null ? 0 : s.Bounces7d,
                       HardBounceRate = s == null ? null : s.HardBounceRate,
                       UnknownUserRate = s == null ? null : s.UnknownUserRate,
                       BlockedBy = s == null ? null : s.BlockedBy,
                       BlockCode = s == null ? null : s.BlockCode,
                       BlockedSince = s == null ? null : s.BlockedSince,
                       LastCheckedAt = s == null ? null : s.LastCheckedAt,
                       OpenItems = s == null ? 0 : s.OpenItems,
                       OpenCases = db.DelistingCases.Count(c => c.SendingIpId == ip.Id && c.State != DelistingCaseState.Resolved),
                       Listed = db.CheckResults
                           .Where(r => r.RunId == db.CheckRuns
                                           .Where(run => run.SendingIpId == ip.Id && run.Status == CheckRunStatus.Completed && run.FinishedAt != null)
                                           .OrderByDescending(run => run.FinishedAt).ThenByDescending(run => run.Id).Select(run => run.Id).FirstOrDefault()
                                       && EF.Functions.Like(r.Check, BlocklistCheck.Prefix + "%") && r.Status == CheckStatus.Fail)
                           .Select(r => r.Check).ToList(),
                   };
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            // Reputation lists (a score, not a listing) are left out, as the diagnosis leaves them out of "listed on".
            var listed = r.Listed.Select(c => c[BlocklistCheck.Prefix.Length..])
                .Where(zone => BlocklistCatalogue.Find(zone) is not { IsReputation: true }).Order(StringComparer.Ordinal).ToList();
            yield return new IpExportRow(r.Id, r.Address, r.Label, r.Health, r.ListedOn, listed, r.SenderScore, r.Bounces24h, r.Bounces7d,
                r.HardBounceRate, r.UnknownUserRate, r.BlockedBy, r.BlockCode, r.BlockedSince, r.LastCheckedAt, r.OpenItems, r.OpenCases);
        }
    }

    public static async Task<long> WriteCsvAsync(DeliverabilityDbContext db, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', Columns));
        long count = 0;
        await foreach (var row in RowsAsync(db, ct))
        {
            await writer.WriteLineAsync(string.Join(',', Cells(row).Select(CsvCell.Escape)));
            if (++count % BounceExport.Chunk == 0) await writer.FlushAsync(ct);
        }

        await writer.FlushAsync(ct);
        return count;
    }

    public static async Task<long> WriteJsonLinesAsync(DeliverabilityDbContext db, Stream output, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        long count = 0;
        await foreach (var row in RowsAsync(db, ct))
        {
            json.Reset();
            json.WriteStartObject();
            var cells = Cells(row);
            for (var i = 0; i < Columns.Length; i++)
            {
                if (Columns[i] == "listed_by_checks")
                {
                    json.WriteStartArray(Columns[i]);
                    foreach (var list in row.ListedByChecks) json.WriteStringValue(list);
                    json.WriteEndArray();
                }
                else if (cells[i] is null) json.WriteNull(Columns[i]);
                else if (NumberColumns.Contains(Columns[i])) json.WriteNumber(Columns[i], double.Parse(cells[i]!, CultureInfo.InvariantCulture));
                else json.WriteString(Columns[i], cells[i]);
            }

            json.WriteEndObject();
            await json.FlushAsync(ct);
            buffer.Write("\n"u8);
            await output.WriteAsync(buffer.WrittenMemory, ct);
            buffer.ResetWrittenCount();
            if (++count % BounceExport.Chunk == 0) await output.FlushAsync(ct);
        }

        await output.FlushAsync(ct);
        return count;
    }

    private static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);

    private static string?[] Cells(IpExportRow r) =>
    [
        r.Id.ToString(CultureInfo.InvariantCulture), r.Address.ToString(), r.Label, r.Status.ToString(),
        r.ListedOn.ToString(CultureInfo.InvariantCulture), string.Join(' ', r.ListedByChecks), r.SenderScore?.ToString(CultureInfo.InvariantCulture),
        r.Bounces24h.ToString(CultureInfo.InvariantCulture), r.Bounces7d.ToString(CultureInfo.InvariantCulture), Number(r.HardBounceRate), Number(r.UnknownUserRate),
        r.BlockedBy, r.BlockCode, Time(r.BlockedSince), Time(r.LastCheckedAt),
        r.OpenItems.ToString(CultureInfo.InvariantCulture), r.OpenCases.ToString(CultureInfo.InvariantCulture),
    ];
}
