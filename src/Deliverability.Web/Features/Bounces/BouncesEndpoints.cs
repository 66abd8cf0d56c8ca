using Deliverability.Core.Checks;
using Deliverability.Core.Data;
using Deliverability.Core.Evidence;
using Deliverability.Web.Api;

namespace Deliverability.Web.Features.Bounces;

/// <summary>
/// GET /api/v1/bounces (the explorer's query, cursor-paged), its CSV and JSON lines exports and the suppression list.
/// Readable by every signed-in user or API key (Viewer and up), like the rest of /api/v1.
/// </summary>
public static class BouncesEndpoints
{
    public const string ListPath = "/api/v1/bounces";
    public const string CsvPath = "/api/v1/bounces/export.csv";
    public const string JsonLinesPath = "/api/v1/bounces/export.jsonl";
    public const string SuppressionPath = "/api/v1/suppression-list.csv";
    public const int DefaultLimit = 50;

    public static IEndpointRouteBuilder MapBouncesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("").WithTags("Bounces");
        api.MapGet(ListPath, ListAsync)
            .WithSummary("Bounces and refused or deferred MTA log lines, filtered, newest first")
            .WithDescription("Filters: from, to (ISO 8601), ip (address or CIDR), provider, code, reason, kind, source (Bounce, LogLine), rcptDomain, senderDomain, q (text in the diagnostic), "
                             + "sort (Newest, Oldest). Paging: limit (1-500) and cursor (the nextCursor of the previous page). facets=true adds counts by reason, provider and code.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet(CsvPath, (HttpContext http, DeliverabilityDbContext db, TimeProvider clock, CancellationToken ct) =>
                ExportAsync(http, db, clock, "csv", "text/csv; charset=utf-8", BounceExport.WriteCsvAsync, ct))
            .WithSummary("The same filters as /api/v1/bounces, every row, as CSV (streamed)");
        api.MapGet(JsonLinesPath, (HttpContext http, DeliverabilityDbContext db, TimeProvider clock, CancellationToken ct) =>
                ExportAsync(http, db, clock, "jsonl", "application/x-ndjson; charset=utf-8", BounceExport.WriteJsonLinesAsync, ct))
            .WithSummary("The same filters as /api/v1/bounces, every row, as JSON lines (streamed)");
        api.MapGet(SuppressionPath, SuppressionAsync)
            .WithSummary("Addresses not to mail again: hard bounces (user unknown, host unknown, moved, accepts no mail) and complaints, as CSV");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext http, DeliverabilityDbContext db, int? limit, string? cursor, bool? facets, CancellationToken ct)
    {
        var query = BounceQuery.Parse(name => http.Request.Query[name].FirstOrDefault(), out var errors);
        if (limit is < 1 or > ApiErrors.MaxPageSize)
        {
            errors["limit"] = [$"limit is between 1 and {ApiErrors.MaxPageSize}."];
        }

        var after = BounceCursor.TryParse(cursor);
        if (!string.IsNullOrEmpty(cursor) && after is null)
        {
            errors["cursor"] = ["cursor is not one this API gave: pass nextCursor of the previous page unchanged."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The bounce query is not valid.");
        }

        BouncePage page;
        try
        {
            page = await BounceExplorer.PageAsync(db, query, after, limit ?? DefaultLimit, ct);
        }
        catch (TimeoutException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var counts = facets == true ? await BounceExplorer.FacetsAsync(db, query, ct) : null;
        var filter = query.ToQueryString();
        return Results.Json(new
        {
            Items = page.Rows.Select(r => new
            {
                Source = r.Source.ToString(), r.Id, r.OccurredAt, r.SendingIpId, r.SendingIp, r.Recipient, r.SenderDomain, r.Kind, r.Reason,
                r.Provider, r.ProviderCode, r.ReplyCode, r.Status, r.Diagnostic, r.RawMessageId, r.RemoteHost,
            }),
            page.NextCursor,
            Next = page.NextCursor is null ? null : $"{ListPath}?{Join(filter, $"limit={limit ?? DefaultLimit}&cursor={page.NextCursor}")}",
            Facets = facets != true ? null : counts is null ? new { Known = false, Total = (long?)null, Reasons = (object?)null, Providers = (object?)null, Codes = (object?)null }
                : new { Known = true, Total = (long?)counts.Total, Reasons = (object?)Named(counts.Reasons), Providers = (object?)Named(counts.Providers), Codes = (object?)Named(counts.Codes) },
        }, CheckJson.Options);
    }

    private static object Named(IReadOnlyList<(string Value, long Count)> facet) => facet.Select(f => new { f.Value, f.Count });

    private static string Join(string a, string b) => a.Length == 0 ? b : $"{a}&{b}";

    private static async Task<IResult> ExportAsync(HttpContext http, DeliverabilityDbContext db, TimeProvider clock, string extension, string contentType,
        Func<DeliverabilityDbContext, BounceQuery, Stream, CancellationToken, Task<long>> write, CancellationToken ct)
    {
        var query = BounceQuery.Parse(name => http.Request.Query[name].FirstOrDefault(), out var errors);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The bounce query is not valid.");
        }

        await StreamedDownload.WriteAsync(http, $"bounces-{clock.GetUtcNow():yyyyMMdd-HHmmss}.{extension}", contentType, body => write(db, query, body, ct));
        return Results.Empty;
    }

    private static async Task<IResult> SuppressionAsync(HttpContext http, DeliverabilityDbContext db, TimeProvider clock, CancellationToken ct)
    {
        await StreamedDownload.WriteAsync(http, $"suppression-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv", "text/csv; charset=utf-8", body => BounceExport.WriteSuppressionCsvAsync(db, body, ct));
        return Results.Empty;
    }
}
