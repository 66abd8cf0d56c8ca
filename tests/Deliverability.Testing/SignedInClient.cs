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
            var page = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
            var token = TokenPattern().Match(page);
            if (!token.Success)
            {
                throw new InvalidOperationException("The sign-in page has no antiforgery token.");
            }

            form["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
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

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
