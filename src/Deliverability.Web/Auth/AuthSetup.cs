using Deliverability.Core.Data;
using Deliverability.Core.Users;
using Deliverability.Web.Ingestion;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
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
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = configuration.GetValue("Auth:MaxFailedSignIns", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(configuration.GetValue("Auth:LockoutMinutes", 15));
            })
            .AddEntityFrameworkStores<DeliverabilityDbContext>()
            .AddDefaultTokenProviders();

        // One default scheme: an API key (`Authorization: Bearer`) counts only on the REST API and its OpenAPI document;
        // everything else (pages, the Blazor hub, /hangfire) knows only the sign-in cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrApiKeyScheme;
                o.DefaultAuthenticateScheme = CookieOrApiKeyScheme;
                o.DefaultChallengeScheme = CookieOrApiKeyScheme;
                o.DefaultForbidScheme = CookieOrApiKeyScheme;
            })
            .AddPolicyScheme(CookieOrApiKeyScheme, "Cookie or API key", o => o.ForwardDefaultSelector = http =>
                AcceptsApiKey(http) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "deliverability.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = SignInPath;
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = AccessDeniedPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // API clients get status codes, not a redirect to an HTML sign-in page.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
            // Instead of Identity's 30-minute security-stamp interval: every request checks the stamp and the roles.
            o.Events.OnValidatePrincipal = SessionCheck.ValidateCookieAsync;
        });
        services.AddAntiforgery(o =>
        {
            o.HeaderName = ApiAntiforgery.HeaderName;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<SessionCheck>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<AuthenticationStateProvider>(provider => new SessionRevalidation(
            provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<SessionCheck>(),
            TimeSpan.FromSeconds(configuration.GetValue("Auth:RevalidationSeconds", 10))));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin))
            .AddPolicy(OperatorPolicy, p => p.RequireRole(Roles.Admin, Roles.Operator));
        services.AddCascadingAuthenticationState();

        // Data Protection itself is configured by AddDeliverabilityCore (the CLI decrypts the same stored secrets).
        if (configuration["DataProtection:KeysDirectory"] is not { Length: > 0 } && !environment.IsDevelopment())
        {
            // Without persisted keys every restart signs everybody out; say so once at start-up.
            services.AddHostedService<DataProtectionWarning>();
        }

        return services;
    }

    /// <summary>Paths where an API key may authenticate a request: the REST API and its OpenAPI document.</summary>
    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi");

    private static bool AcceptsApiKey(HttpContext http) => IsApiPath(http.Request.Path) && ApiKeyAuthenticationHandler.HasBearer(http);

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
            logger.LogWarning("DataProtection:KeysDirectory is not set: sign-in cookies and the stored Spamhaus DQS key may not survive a restart.");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
