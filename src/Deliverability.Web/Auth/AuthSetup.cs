using Deliverability.Core.Data;
using Deliverability.Core.Users;
using Deliverability.Web.Ingestion;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Deliverability.Web.Auth;

public static class AuthSetup
{
    public const string AdminPolicy = "Admin";
    public const string OperatorPolicy = "Operator";
    public const string SignInPath = "/account/sign-in";
    public const string CookieOrApiKeyScheme = "CookieOrApiKey";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary>Identity with cookies; every endpoint requires a signed-in user unless it says otherwise.</summary>
    public static IServiceCollection AddDeliverabilityAuth(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddIdentity<DeliverabilityUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = 10;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = configuration.GetValue("Auth:MaxFailedSignIns", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(configuration.GetValue("Auth:LockoutMinutes", 15));
            })
            .AddEntityFrameworkStores<DeliverabilityDbContext>()
            .AddDefaultTokenProviders();

        // One default scheme that reads an API key when the request carries `Authorization: Bearer`, else the sign-in cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrApiKeyScheme;
                o.DefaultAuthenticateScheme = CookieOrApiKeyScheme;
                o.DefaultChallengeScheme = CookieOrApiKeyScheme;
                o.DefaultForbidScheme = CookieOrApiKeyScheme;
            })
            .AddPolicyScheme(CookieOrApiKeyScheme, "Cookie or API key", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthenticationHandler.HasBearer(http) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "deliverability.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = SignInPath;
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = AccessDeniedPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // API clients get status codes, not a redirect to an HTML sign-in page.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin))
            .AddPolicy(OperatorPolicy, p => p.RequireRole(Roles.Admin, Roles.Operator));
        services.AddCascadingAuthenticationState();

        var dataProtection = services.AddDataProtection().SetApplicationName("Deliverability");
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }
        else if (!environment.IsDevelopment())
        {
            // Without persisted keys every restart signs everybody out; say so once at start-up.
            services.AddHostedService<DataProtectionWarning>();
        }

        return services;
    }

    private static Task RedirectOrStatus(HttpContext http, string redirectUri, int status)
    {
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hangfire/stats"))
        {
            http.Response.StatusCode = status;
        }
        else
        {
            http.Response.Redirect(redirectUri);
        }

        return Task.CompletedTask;
    }

    private sealed class DataProtectionWarning(ILogger<DataProtectionWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("DataProtection:KeysDirectory is not set: sign-in cookies will not survive a restart.");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
