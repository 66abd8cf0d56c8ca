using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Deliverability.Web.Auth;

/// <summary>
/// A Blazor circuit outlives the request that opened it: every <paramref name="interval"/> it asks <see cref="SessionCheck"/>
/// again, and a removed, demoted or signed-out user's open page loses its session (it shows the sign-in page).
/// </summary>
internal sealed class SessionRevalidation(ILoggerFactory loggerFactory, SessionCheck check, TimeSpan interval)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => interval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        check.IsCurrentAsync(authenticationState.User, cancellationToken);
}
