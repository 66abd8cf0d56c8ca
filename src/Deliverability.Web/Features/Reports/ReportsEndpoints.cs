using Deliverability.Core.Remediation;
using Deliverability.Core.Reports;

namespace Deliverability.Web.Features.Reports;

/// <summary>
/// GET /api/v1/reports (the newest DMARC aggregate and TLS reports), /api/v1/ips/{id}/dmarc (what reports say of one IP) and
/// /api/v1/domains/{domain}/dmarc (every source IP of a domain). Readable by every signed-in user or API key, like the rest of /api/v1.
/// </summary>
public static class ReportsEndpoints
{
    public const string ListPath = "/api/v1/reports";
    public const string IpPath = "/api/v1/ips/{id:long}/dmarc";
    public const string DomainPath = "/api/v1/domains/{domain}/dmarc";

    public static IEndpointRouteBuilder MapReportsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("").WithTags("Reports");
        api.MapGet(ListPath, async (ReportSummaries summaries, int? limit, CancellationToken ct) =>
            {
                if (limit is < 1 or > Api.ApiErrors.MaxPageSize)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is between 1 and {Api.ApiErrors.MaxPageSize}."] });
                }

                var take = limit ?? 50;
                return Results.Ok(new { dmarc = await summaries.RecentDmarcAsync(take, ct), tls = await summaries.RecentTlsAsync(take, ct) });
            })
            .WithSummary("The newest DMARC aggregate reports and SMTP TLS reports stored, with their message and session counts");
        api.MapGet(IpPath, async (long id, int? days, ReportSummaries summaries, TimeProvider clock, CancellationToken ct) =>
                await summaries.ForSendingIpAsync(id, Since(clock, days), ct) is { } summary
                    ? Results.Ok(summary)
                    : Results.Problem($"There is no sending IP #{id}.", statusCode: StatusCodes.Status404NotFound))
            .WithSummary("What receivers' DMARC aggregate reports say of mail from one sending IP (days: the window, default 30)");
        api.MapGet(DomainPath, async (string domain, int? days, ReportSummaries summaries, TimeProvider clock, CancellationToken ct) =>
                Results.Ok(await summaries.ForDomainAsync(domain, Since(clock, days), ct)))
            .WithSummary("Every source IP receivers saw sending for a domain, with its DMARC pass counts; sendingIpId null is an unknown sender");
        return endpoints;
    }

    private static DateOnly Since(TimeProvider clock, int? days) =>
        DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-Math.Clamp(days ?? RemediationRules.EvidenceDays, 1, 3660));
}
