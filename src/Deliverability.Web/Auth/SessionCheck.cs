using System.Security.Claims;
using Deliverability.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deliverability.Web.Auth;

/// <summary>
/// Whether a signed-in principal still stands: the user exists, its security stamp is the one it signed in with (sign-out,
/// a password reset change it) and it holds exactly the roles it signed in with. Checked on every cookie request and,
/// for a live Blazor circuit, every few seconds (<see cref="SessionRevalidation"/>).
/// </summary>
public sealed class SessionCheck(IDbContextFactory<DeliverabilityDbContext> dbFactory, IOptions<IdentityOptions> identity)
{
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var claimTypes = identity.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claimTypes.UserIdClaimType);
        var stamp = principal.FindFirstValue(claimTypes.SecurityStampClaimType);
        if (userId is null || stamp is null)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.SecurityStamp,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        return user is not null
               && user.SecurityStamp == stamp
               && principal.FindAll(claimTypes.RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal).SetEquals(user.Roles);
    }

    /// <summary>The cookie handler's hook: a principal that no longer stands is rejected and its cookie removed.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var check = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
        if (context.Principal is null || !await check.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
