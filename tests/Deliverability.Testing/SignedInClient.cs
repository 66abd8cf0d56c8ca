using System.Net;
using System.Text.RegularExpressions;

namespace Deliverability.Testing;

/// <summary>Signs in through the real form (antiforgery token included), the way a browser does.</summary>
public static partial class SignedInClient
{
    public static HttpClient CreateAnonymous(DeliverabilityAppFactory factory) =>
        factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password, bool withToken = true)
    {
        var form = new Dictionary<string, string> { ["email"] = email, ["password"] = password, ["returnUrl"] = "/" };
        return await PostSignInFormAsync(client, form, withToken);
    }

    /// <summary>Posts the sign-in form with the given fields, adding the antiforgery token from a fresh sign-in page.</summary>
    public static async Task<HttpResponseMessage> PostSignInFormAsync(HttpClient client, Dictionary<string, string> form, bool withToken = true)
    {
        if (withToken)
        {
            form["__RequestVerificationToken"] = FindAntiforgeryToken(await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative)));
        }

        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), content);
    }

    public static async Task<HttpClient> CreateAsync(DeliverabilityAppFactory factory, string email, string password = DeliverabilityAppFactory.Password)
    {
        var client = CreateAnonymous(factory);
        using var response = await PostSignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("error", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    /// <summary>Presses "Sign out" the way the app bar's form does (its antiforgery token from the dashboard page).</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient client)
    {
        var token = FindAntiforgeryToken(await client.GetStringAsync(new Uri("/", UriKind.Relative)));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        return await client.PostAsync(new Uri("/account/sign-out", UriKind.Relative), content);
    }

    /// <summary>
    /// Adds the antiforgery header that REST calls which change something need when they are signed in with the cookie
    /// (the token comes from GET /api/v1/antiforgery-token, as a browser script would fetch it).
    /// </summary>
    public static async Task AddApiAntiforgeryTokenAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/v1/antiforgery-token", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Remove(body.RootElement.GetProperty("headerName").GetString()!);
        client.DefaultRequestHeaders.Add(body.RootElement.GetProperty("headerName").GetString()!, body.RootElement.GetProperty("token").GetString());
    }

    /// <summary>The antiforgery token of the first form in a page's HTML.</summary>
    public static string FindAntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } token
            ? WebUtility.HtmlDecode(token.Groups[1].Value)
            : throw new InvalidOperationException("The page has no form with an antiforgery token.");

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
