using Deliverability.Core.Checks;
using Deliverability.Core.Data;
using Deliverability.Core.Evidence;
using Deliverability.Core.Ips;
using Deliverability.Web.Api;

namespace Deliverability.Web.Features.Ips;

public static class SendingIpsEndpoints
{
    public const string CsvPath = "/api/v1/sending-ips/export.csv";
    public const string JsonLinesPath = "/api/v1/sending-ips/export.jsonl";

    /// <summary>
    /// GET /api/v1/sending-ips: the Sending IPs table as JSON, with the same paging, sorting, search (IP, CIDR, label)
    /// and status filter, from the same query the page runs.
    /// </summary>
    public static IEndpointRouteBuilder MapSendingIpsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/sending-ips", async (SendingIpList ipList, int? page, int? pageSize, string? sort, bool? desc, string? search, string? status, CancellationToken ct) =>
        {
            if (ApiErrors.ValidateListQuery(page, pageSize, search) is { } invalid)
            {
                return invalid;
            }

            IpHealth? health = null;
            if (!string.IsNullOrEmpty(status))
            {
                if (!Enum.TryParse<IpHealth>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    return Results.Problem($"Unknown status '{status}': use {string.Join(", ", Enum.GetNames<IpHealth>())}.", statusCode: StatusCodes.Status400BadRequest);
                }

                health = parsed;
            }

            var query = new SendingIpListQuery(Math.Max(0, page ?? 0), pageSize ?? 25, sort, desc ?? false, search, health);
            var (rows, total) = await ipList.LoadAsync(query, ct);
            return Results.Json(new
            {
                Total = total,
                Page = query.Page,
                PageSize = query.PageSize,
                Items = rows.Select(r => new
                {
                    r.Id,
                    Address = r.Address.ToString(),
                    r.Label,
                    r.Health,
                    r.BlockedBy,
                    r.BlockCode,
                    r.BlockedSince,
                    r.ListedOn,
                    r.AuthFailures,
                    r.Bounces24h,
                    r.Bounces7d,
                    r.HardBounceRate,
                    r.UnknownUserRate,
                    r.SenderScore,
                    r.LastCheckedAt,
                    r.OpenItems,
                    r.OpenCases,
                }),
            }, CheckJson.Options);
        });
        // Every IP, streamed like the bounce exports and readable by the same users and keys (Viewer and up).
        endpoints.MapGet(CsvPath, async (HttpContext http, DeliverabilityDbContext db, TimeProvider clock, CancellationToken ct) =>
            {
                await StreamedDownload.WriteAsync(http, $"sending-ips-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv", "text/csv; charset=utf-8", body => IpListExport.WriteCsvAsync(db, body, ct));
                return Results.Empty;
            })
            .WithTags("Sending IPs").WithSummary("Every sending IP with its status, lists, Sender Score and bounce counts, as CSV (streamed)");
        endpoints.MapGet(JsonLinesPath, async (HttpContext http, DeliverabilityDbContext db, TimeProvider clock, CancellationToken ct) =>
            {
                await StreamedDownload.WriteAsync(http, $"sending-ips-{clock.GetUtcNow():yyyyMMdd-HHmmss}.jsonl", "application/x-ndjson; charset=utf-8", body => IpListExport.WriteJsonLinesAsync(db, body, ct));
                return Results.Empty;
            })
            .WithTags("Sending IPs").WithSummary("Every sending IP with its status, lists, Sender Score and bounce counts, as JSON lines (streamed)");
        return endpoints;
    }
}
