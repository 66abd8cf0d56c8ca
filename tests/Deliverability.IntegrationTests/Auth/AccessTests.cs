using System.Net;
using Deliverability.Core.Users;
using Deliverability.Testing;

namespace Deliverability.IntegrationTests.Auth;

public class AccessTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly Uri Dashboard = new("/", UriKind.Relative);
    private static readonly Uri ApiIps = new("/api/v1/sending-ips", UriKind.Relative);
    private static readonly Uri Hangfire = new("/hangfire", UriKind.Relative);

    [Fact]
    public async Task Dashboard_WhenAnonymous_RedirectsToSignIn()
    {
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        using var response = await client.GetAsync(Dashboard, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/sending-ips")]
    [InlineData("/api/v1/does-not-exist")]
    public async Task Api_WhenAnonymous_Returns401(string path)
    {
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_WhenAnonymous_ReportsHealthyDatabase()
    {
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Hangfire_WhenViewer_IsRefused()
    {
        await app.Factory.AddUserAsync("viewer@example.com", Roles.Viewer);
        using var client = await SignedInClient.CreateAsync(app.Factory, "viewer@example.com");

        using var response = await client.GetAsync(Hangfire, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hangfire_WhenAdmin_OpensWithoutShowingTheConnectionString()
    {
        await app.Factory.AddUserAsync("admin@example.com", Roles.Admin);
        using var client = await SignedInClient.CreateAsync(app.Factory, "admin@example.com");

        using var response = await client.GetAsync(Hangfire, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Deliverability jobs", html, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Factory.Database.Name, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WhenSignedIn_ListsSendingIps()
    {
        await app.Factory.AddUserAsync("operator@example.com", Roles.Operator);
        using var client = await SignedInClient.CreateAsync(app.Factory, "operator@example.com");

        using var response = await client.GetAsync(ApiIps, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignIn_WhenAntiforgeryTokenMissing_IsRejected()
    {
        await app.Factory.AddUserAsync("csrf@example.com", Roles.Admin);
        using var client = SignedInClient.CreateAnonymous(app.Factory);

        using var response = await SignedInClient.PostSignInAsync(client, "csrf@example.com", DeliverabilityAppFactory.Password, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WhenPasswordWrongFiveTimes_LocksTheAccountEvenForTheRightPasswordWithTheSameMessage()
    {
        await app.Factory.AddUserAsync("lockme@example.com", Roles.Operator);
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SignedInClient.PostSignInAsync(client, "lockme@example.com", "wrong-password-1");
            Assert.Contains("error=", wrong.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var right = await SignedInClient.PostSignInAsync(client, "lockme@example.com", DeliverabilityAppFactory.Password);

        // Locked, but it says no more than for a wrong password: "locked" would tell that the e-mail has an account.
        Assert.Contains("error=invalid", right.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.False(right.Headers.Contains("Set-Cookie") && right.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("deliverability.auth=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("redirect@example.com", "//evil.example/phish")]
    [InlineData("redirect-tab@example.com", "/\t/evil.example")]
    [InlineData("redirect-backslash@example.com", "/\\evil.example")]
    public async Task SignIn_WhenReturnUrlPointsElsewhere_StaysOnThisSite(string email, string returnUrl)
    {
        await app.Factory.AddUserAsync(email, Roles.Viewer);
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        using var response = await SignedInClient.PostSignInFormAsync(client, new()
        {
            ["email"] = email,
            ["password"] = DeliverabilityAppFactory.Password,
            ["returnUrl"] = returnUrl,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }
}
