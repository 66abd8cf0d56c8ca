using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Deliverability.Core.Api;
using Deliverability.Core.Users;
using Deliverability.IntegrationTests.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Auth;

/// <summary>Issue 12, items 2, 3, 6 and 7: what an API key, a forged request, a demoted or removed user and a copied cookie can still do.</summary>
public class SessionSecurityTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly Uri Messages = new("/api/v1/messages", UriKind.Relative);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ByteArrayContent Raw(byte[] message, string type = "message/rfc822")
    {
        var content = new ByteArrayContent(message);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private async Task<int> BatchCountAsync()
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.IngestBatches.CountAsync(Ct);
    }

    private async Task<HttpClient> OperatorAsync(string email)
    {
        await app.Factory.AddUserAsync(email, Roles.Operator);
        return await SignedInClient.CreateAsync(app.Factory, email);
    }

    private UserAdministration Administration => app.Factory.Services.GetRequiredService<UserAdministration>();

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task ApiKey_OnPagesAndTheBlazorHub_IsNoSignInButStillWorksOnTheApi()
    {
        var key = await app.Factory.Services.GetRequiredService<ApiKeys>().CreateAsync("mx1", "admin@example.com", Ct);
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Token);

        using var page = await client.GetAsync(new Uri("/ips", UriKind.Relative), Ct);
        using var hub = await client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null, Ct);
        using var api = await client.GetAsync(new Uri("/api/v1/sending-ips", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/sign-in", PathOf(page.Headers.Location!), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, hub.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task CookieApiWrite_WithoutAntiforgeryToken_IsRefusedAndStoresNothing()
    {
        using var client = await OperatorAsync("csrf-target@example.com");
        var before = await BatchCountAsync();

        // What a hostile page's auto-submitted forms send: text/plain and multipart, with the browser's cookie and no token.
        using var plain = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150"), "text/plain"), Ct);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Fixtures.Bounce("outlook-s3150")), "files", "s3150.eml" } };
        using var multipart = await client.PostAsync(Messages, form, Ct);
        client.DefaultRequestHeaders.Add("RequestVerificationToken", "forged");
        using var forged = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, multipart.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("antiforgery", await plain.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await BatchCountAsync());
    }

    [Fact]
    public async Task CookieApiWrite_WithTheAntiforgeryToken_IsAccepted()
    {
        using var client = await OperatorAsync("csrf-token@example.com");
        await SignedInClient.AddApiAntiforgeryTokenAsync(client);

        using var response = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Demotion_TakesEffectAtTheNextRequest()
    {
        using var client = await OperatorAsync("demoted@example.com");
        await SignedInClient.AddApiAntiforgeryTokenAsync(client);
        using (var first = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        await Administration.ChangeRoleAsync(UserActor.CommandLine, await UserIdAsync("demoted@example.com"), Roles.Viewer, Ct);
        var before = await BatchCountAsync();
        using var second = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(before, await BatchCountAsync());
    }

    [Fact]
    public async Task Removal_EndsTheSessionAtTheNextRequest()
    {
        await app.Factory.AddUserAsync("keeper@example.com", Roles.Admin);
        using var client = await OperatorAsync("removed@example.com");
        Assert.True(await OpensPageAsync(client));

        await Administration.RemoveAsync(new UserActor(await UserIdAsync("keeper@example.com"), "keeper@example.com"), await UserIdAsync("removed@example.com"), Ct);

        Assert.False(await OpensPageAsync(client));
    }

    [Fact]
    public async Task SignOut_MakesACopiedCookieUseless()
    {
        await app.Factory.AddUserAsync("copied@example.com", Roles.Viewer);
        using var browser = SignedInClient.CreateAnonymous(app.Factory);
        string stolen;
        using (var signIn = await SignedInClient.PostSignInAsync(browser, "copied@example.com", DeliverabilityAppFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            stolen = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("deliverability.auth=", StringComparison.Ordinal)).Split(';')[0];
        }

        using var thief = app.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", stolen);
        Assert.True(await OpensPageAsync(thief));

        using (var signOut = await SignedInClient.SignOutAsync(browser))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        Assert.False(await OpensPageAsync(thief));
    }

    [Fact]
    public async Task SignIn_ForAnUnknownEmail_TakesAsLongAsAWrongPasswordAndSaysTheSame()
    {
        await app.Factory.AddUserAsync("timed@example.com", Roles.Viewer);
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        await TimeSignInAsync(client, "warm-up@example.com"); // the first hash and the first queries pay for JIT and pools
        await TimeSignInAsync(client, "timed@example.com");
        var known = new List<double>();
        var unknown = new List<double>();
        string? knownAnswer = null, unknownAnswer = null;
        // Four wrong passwords: below the lockout (five), so each one really checks the password.
        for (var i = 0; i < 3; i++)
        {
            (var k, knownAnswer) = await TimeSignInAsync(client, "timed@example.com");
            (var u, unknownAnswer) = await TimeSignInAsync(client, $"nobody-{i}@example.com");
            known.Add(k);
            unknown.Add(u);
        }

        var ratio = Median(unknown) / Median(known);
        Assert.True(ratio > 0.5, $"an unknown e-mail took {Median(unknown):F0} ms, a wrong password {Median(known):F0} ms");
        Assert.Equal(Query(knownAnswer!, "error"), Query(unknownAnswer!, "error"));
    }

    private static async Task<(double Ms, string Location)> TimeSignInAsync(HttpClient client, string email)
    {
        var form = new Dictionary<string, string> { ["email"] = email, ["password"] = "Wrong-Password-9", ["returnUrl"] = "/" };
        var watch = Stopwatch.StartNew();
        using var response = await SignedInClient.PostSignInFormAsync(client, form);
        watch.Stop();
        return (watch.Elapsed.TotalMilliseconds, response.Headers.Location!.OriginalString);
    }

    /// <summary>True when the client's cookie opens a page; false when it is sent to sign in (anything else fails the test).</summary>
    private static async Task<bool> OpensPageAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/ips", UriKind.Relative), Ct);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", PathOf(response.Headers.Location!), StringComparison.Ordinal);
        return false;
    }

    private static string PathOf(Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string? Query(string url, string name) =>
        url.Split('?', 2).ElementAtOrDefault(1)?.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == name)?.ElementAtOrDefault(1);
}
