using Microsoft.AspNetCore.Antiforgery;
using Deliverability.Web.Ingestion;

namespace Deliverability.Web.Auth;

/// <summary>
/// A browser sends the sign-in cookie with any request, including one a hostile page makes it send (an auto-submitted
/// form). So a REST call that changes something and is authenticated by the cookie must carry an antiforgery token in the
/// <see cref="HeaderName"/> header (from GET /api/v1/antiforgery-token); calls with an API key carry no ambient credential
/// and need none.
/// </summary>
public static class ApiAntiforgery
{
    public const string HeaderName = "RequestVerificationToken";

    public sealed record TokenResponse(string HeaderName, string Token);

    public static IApplicationBuilder UseApiAntiforgeryForCookies(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (NeedsToken(http))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            // The header only: never read (and buffer) a multipart body to look for a form field.
            if (!http.Request.Headers.ContainsKey(HeaderName) || !await antiforgery.IsRequestValidAsync(http))
            {
                await Results.Problem(
                        $"This request is signed in with the browser's cookie but has no valid antiforgery token: send the token of GET /api/v1/antiforgery-token in the {HeaderName} header, or use an API key (Authorization: Bearer).",
                        statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing or invalid")
                    .ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    });

    public static IEndpointRouteBuilder MapApiAntiforgeryToken(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/antiforgery-token", (HttpContext http, IAntiforgery antiforgery) =>
                Results.Ok(new TokenResponse(HeaderName, antiforgery.GetAndStoreTokens(http).RequestToken!)))
            .WithTags("Authentication")
            .WithSummary("An antiforgery token for REST calls made with the sign-in cookie (API keys need none)");
        return endpoints;
    }

    private static bool NeedsToken(HttpContext http) =>
        AuthSetup.IsApiPath(http.Request.Path)
        && !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method) || HttpMethods.IsTrace(http.Request.Method))
        && !ApiKeyAuthenticationHandler.HasBearer(http)
        && http.User.Identity?.IsAuthenticated == true;
}
