using System.Net;
using Deliverability.Core.Users;
using Deliverability.Testing;

namespace Deliverability.IntegrationTests.Alerts;

/// <summary>Alert settings are for Admins; the alert history is for everyone signed in, read-only.</summary>
public sealed class AlertPagesAccessTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    public async Task AlertSettings_WhenNotAdmin_IsRefused_ButTheHistoryOpensWithoutTheSettingsLink(string role)
    {
        var email = $"{role.ToLowerInvariant()}@alerts.example";
        await app.Factory.AddUserAsync(email, role);
        using var client = await SignedInClient.CreateAsync(app.Factory, email);

        using var settings = await client.GetAsync(new Uri("/settings/alerts", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
        Assert.StartsWith("/account/access-denied", settings.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var history = await client.GetAsync(new Uri("/alerts", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        var html = await history.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Every alert sent, newest first", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-settings-link", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertSettings_WhenAdmin_Opens()
    {
        await app.Factory.AddUserAsync("admin@alerts.example", Roles.Admin);
        using var client = await SignedInClient.CreateAsync(app.Factory, "admin@alerts.example");

        using var response = await client.GetAsync(new Uri("/settings/alerts", UriKind.Relative), Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}; recent server log:\n{ServerLog.Recent()}");
        Assert.Contains("Alert rules and channels", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertHistory_WhenAnonymous_RedirectsToSignIn()
    {
        using var client = SignedInClient.CreateAnonymous(app.Factory);
        using var response = await client.GetAsync(new Uri("/alerts", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
