using System.Net;
using Deliverability.Core.Users;
using Deliverability.Testing;

namespace Deliverability.IntegrationTests.Auth;

/// <summary>Issue 12, item 10: the headers every response carries, and TLS behind a reverse proxy (HSTS, Secure cookies).</summary>
/// <summary>Two apps on Kestrel (loopback): one trusting the default proxies (loopback), one trusting only 192.0.2.80.</summary>
public sealed class ProxiedAppsFixture : IAsyncLifetime
{
    public DeliverabilityAppFactory LoopbackTrusted { get; private set; } = default!;
    public DeliverabilityAppFactory OtherProxyTrusted { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        LoopbackTrusted = await StartAsync(new Dictionary<string, string>());
        OtherProxyTrusted = await StartAsync(new Dictionary<string, string> { ["ForwardedHeaders:KnownProxies:0"] = "192.0.2.80" });
    }

    private static async Task<DeliverabilityAppFactory> StartAsync(Dictionary<string, string> settings)
    {
        var factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync(), settings: settings);
        factory.UseKestrel(0);
        factory.StartServer();
        await factory.AddUserAsync("proxied@example.com", Roles.Viewer);
        return factory;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in new[] { LoopbackTrusted, OtherProxyTrusted })
        {
            await factory.DisposeAsync();
            await factory.Database.DisposeAsync();
        }
    }
}

public class BrowserSecurityTests(AppFixture app, ProxiedAppsFixture proxied) : IClassFixture<AppFixture>, IClassFixture<ProxiedAppsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/account/sign-in")]
    [InlineData("/hangfire")]
    [InlineData("/api/v1/sending-ips")]
    public async Task EveryResponse_ForbidsFramingSniffingAndForeignScripts(string path)
    {
        await app.Factory.AddUserAsync($"headers{path.Replace('/', '-')}@example.com", Roles.Admin);
        using var client = await SignedInClient.CreateAsync(app.Factory, $"headers{path.Replace('/', '-')}@example.com");

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Matches("script-src 'self' 'nonce-[0-9A-F]{32}';", csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
    }

    [Fact]
    public async Task Page_GivesItsInlineImportMapTheNonceOfTheResponse()
    {
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        using var response = await client.GetAsync(new Uri("/account/sign-in", UriKind.Relative), Ct);
        var nonce = System.Text.RegularExpressions.Regex.Match(Header(response, "Content-Security-Policy"), "'nonce-([^']+)'").Groups[1].Value;

        var html = await response.Content.ReadAsStringAsync(Ct);

        // Every script is a file of this site, or inline with this response's nonce (the import map): nothing else runs.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script(?<attributes>[^>]*)>").Select(m => m.Groups["attributes"].Value).ToList();
        Assert.Contains(scripts, a => a.Contains("importmap", StringComparison.Ordinal));
        Assert.All(scripts, a => Assert.True(a.Contains(" src=", StringComparison.Ordinal) || a.Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal), a));
    }

    [Fact]
    public async Task BehindATlsProxy_SendsHstsAndSecureCookies()
    {
        // Kestrel on loopback: the proxy (this test) is 127.0.0.1, trusted when no proxy is configured.
        using var response = await SignInThroughProxyAsync(proxied.LoopbackTrusted);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("max-age=31536000", Header(response, "Strict-Transport-Security"), StringComparison.Ordinal);
        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("deliverability.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForwardedProto_FromAnAddressThatIsNoConfiguredProxy_IsIgnored()
    {
        using var response = await SignInThroughProxyAsync(proxied.OtherProxyTrusted);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("deliverability.auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", auth, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Signs in the way nginx would pass it on: plain HTTP from the proxy, the public host and X-Forwarded-Proto: https.</summary>
    private static async Task<HttpResponseMessage> SignInThroughProxyAsync(DeliverabilityAppFactory factory)
    {
        // Cookies by hand: the antiforgery cookie may be Secure, which a cookie container would not send back over HTTP.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = factory.ClientOptions.BaseAddress };
        client.DefaultRequestHeaders.Host = "deliverability.example.net";
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        using var page = await client.GetAsync(new Uri("/account/sign-in", UriKind.Relative), Ct);
        var token = SignedInClient.FindAntiforgeryToken(await page.Content.ReadAsStringAsync(Ct));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = "proxied@example.com", ["password"] = DeliverabilityAppFactory.Password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        return await client.SendAsync(post, Ct);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : "";
}
