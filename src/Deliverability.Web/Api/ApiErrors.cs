namespace Deliverability.Web.Api;

/// <summary>
/// Errors on /api as RFC 9457 problem details (application/problem+json), never an HTML page: an unhandled exception
/// becomes a 500 problem without the exception's text, a bare status code (404, 405, 401...) gets a problem body.
/// </summary>
public static class ApiErrors
{
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Instance ??= c.HttpContext.Request.Path);

    /// <summary>Place after the pages' exception handler, so that API requests are answered here first.</summary>
    public static IApplicationBuilder UseApiProblemDetails(this IApplicationBuilder app) =>
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });

    public static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    /// <summary>Largest page an API list returns.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Longest search text an API list accepts.</summary>
    public const int MaxSearchLength = 256;

    /// <summary>Paging and search of an API list checked up front: a 400 problem that says what is wrong, instead of a failed query.</summary>
    public static IResult? ValidateListQuery(int? page, int? pageSize, string? search)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 0)
        {
            errors["page"] = ["page starts at 0."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize is between 1 and {MaxPageSize}."];
        }

        if (page is > 0 && (long)page.Value * (pageSize ?? 1) > int.MaxValue)
        {
            errors["page"] = ["page is beyond any possible result."];
        }

        if (search is { Length: > MaxSearchLength })
        {
            errors["search"] = [$"search is at most {MaxSearchLength} characters."];
        }
        else if (search is not null && search.Any(char.IsControl))
        {
            errors["search"] = ["search holds a control character (NUL, tab, line break...)."];
        }

        return errors.Count == 0 ? null : Results.ValidationProblem(errors, title: "The list query is not valid.");
    }
}
