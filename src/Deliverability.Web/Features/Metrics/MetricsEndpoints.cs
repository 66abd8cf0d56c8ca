using Deliverability.Core.Api;
using Deliverability.Core.Data;
using Deliverability.Core.Evidence;
using Microsoft.Net.Http.Headers;

namespace Deliverability.Web.Features.Metrics;

/// <summary>
/// GET /metrics for Prometheus. The scrape token is an API key an Admin creates in Settings → API keys (only its SHA-256
/// is stored), sent as <c>Authorization: Bearer</c> (Prometheus: <c>authorization: { credentials: ... }</c>). No token or
/// an unknown or revoked one answers 401 and no figures.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (HttpContext http, ApiKeys keys, DeliverabilityDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var header = http.Request.Headers.Authorization.ToString();
            const string bearer = "Bearer ";
            if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || await keys.FindActiveAsync(header[bearer.Length..].Trim(), ct) is null)
            {
                http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"metrics\"";
                return Results.Text("A scrape token is required: an active API key as a Bearer token (Settings → API keys).\n", "text/plain", statusCode: StatusCodes.Status401Unauthorized);
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.Text(await MetricsExposition.WriteAsync(db, clock, ct), MetricsExposition.ContentType);
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
