using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.HttpOverrides;

namespace Deliverability.Web.Security;

/// <summary>
/// Reverse-proxy awareness (X-Forwarded-For/-Proto from the proxies in ForwardedHeaders:KnownProxies/KnownNetworks, loopback
/// when none is configured), HSTS on TLS, and the headers every response carries: a CSP that Blazor Server and MudBlazor
/// work under, nosniff, no framing (the /hangfire dashboard too), a same-origin referrer.
/// </summary>
public static class BrowserSecurity
{
    public const string Section = "ForwardedHeaders";
    private const string NonceKey = "deliverability.csp-nonce";

    public static IServiceCollection AddDeliverabilityBrowserSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var proxies = configuration.GetSection($"{Section}:KnownProxies").Get<string[]>() ?? [];
            var networks = configuration.GetSection($"{Section}:KnownNetworks").Get<string[]>() ?? [];
            if (proxies.Length + networks.Length > 0)
            {
                // Configured proxies replace the loopback default: only they may say what the client's address and scheme were.
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in proxies)
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
                }

                foreach (var network in networks)
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
                }
            }

            o.ForwardLimit = configuration.GetValue($"{Section}:ForwardLimit", 1);
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return services;
    }

    /// <summary>Goes first in the pipeline: later middleware must see the client's scheme (Secure cookies, HSTS, redirects).</summary>
    public static IApplicationBuilder UseDeliverabilityBrowserSecurity(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        // Only on HTTPS requests, and never for localhost (UseHsts' own rule).
        app.UseHsts();
        app.Use((http, next) =>
        {
            // Hex, so that no HTML encoding of the attribute can make it differ from the header.
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            http.Items[NonceKey] = nonce;
            var headers = http.Response.Headers;
            // style-src needs 'unsafe-inline': MudBlazor sets style attributes and its theme provider writes a <style> element.
            // Scripts are only this site's files, plus the one inline import map Blazor renders (with this response's nonce).
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
                "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return next(http);
        });
        return app;
    }

    /// <summary>The CSP nonce of this response, for the inline import map.</summary>
    public static string? CspNonce(HttpContext? http) => http is not null && http.Items.TryGetValue(NonceKey, out var nonce) ? nonce as string : null;
}
