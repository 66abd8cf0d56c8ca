using Deliverability.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Deliverability.Web.Auth;

/// <summary>Sign-in and sign-out are plain form posts: cookies can only be set on an HTTP response, not over the circuit.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");

        account.MapPost("/sign-in", async (
            [FromForm] string? email,
            [FromForm] string? password,
            [FromForm] string? returnUrl,
            [FromForm] bool? rememberMe,
            PasswordSignIn signIn) =>
        {
            var target = IsLocal(returnUrl) ? returnUrl! : "/";
            if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            {
                return Results.LocalRedirect(SignInUrl("missing", email, target));
            }

            // One answer for an unknown e-mail, a wrong password and a locked account: which one it was is nobody's business.
            return await signIn.SignInAsync(email.Trim(), password, rememberMe ?? false)
                ? Results.LocalRedirect(target)
                : Results.LocalRedirect(SignInUrl("invalid", email, target));
        }).AllowAnonymous();

        account.MapPost("/sign-out", async ([FromForm] string? returnUrl, HttpContext http, SignInManager<DeliverabilityUser> signIn, UserManager<DeliverabilityUser> users) =>
        {
            // A new security stamp makes every copy of this user's cookie invalid at its next request, not only this browser's.
            if (await users.GetUserAsync(http.User) is { } user)
            {
                await users.UpdateSecurityStampAsync(user);
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect(IsLocal(returnUrl) ? $"{AuthSetup.SignInPath}?returnUrl={Uri.EscapeDataString(returnUrl!)}" : AuthSetup.SignInPath);
        });

        return endpoints;
    }

    // The same rule as LocalRedirect's own check, control characters included ("/%09/x" made LocalRedirect throw: a 500).
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    private static string SignInUrl(string error, string? email, string returnUrl) =>
        $"{AuthSetup.SignInPath}?error={error}&email={Uri.EscapeDataString(email ?? "")}&returnUrl={Uri.EscapeDataString(returnUrl)}";
}
