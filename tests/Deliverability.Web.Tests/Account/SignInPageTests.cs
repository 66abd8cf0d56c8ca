using Deliverability.Web.Features.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Account;

public class SignInPageTests : BunitContext
{
    public SignInPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.Configure<IdentityOptions>(o =>
        {
            o.Lockout.MaxFailedAccessAttempts = 7;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(30);
        });
    }

    private IRenderedComponent<SignInPage> RenderAt(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/account/sign-in" + query);
        return Render<SignInPage>();
    }

    [Fact]
    public void Render_WhenPasswordWasWrong_ExplainsTheConfiguredLockoutRule()
    {
        var page = RenderAt("?error=invalid&email=a%40example.com");
        var error = page.Find("#sign-in-error").TextContent;
        Assert.Contains("e-mail or password is wrong", error, StringComparison.Ordinal);
        Assert.Contains("after 7 failed attempts", error, StringComparison.Ordinal);
        Assert.Contains("30 minutes", error, StringComparison.Ordinal);
        Assert.Equal("a@example.com", page.Find("#email").GetAttribute("value"));
    }

    [Fact]
    public void Render_WhenAccountLocked_SaysTheSameAsForAWrongPassword()
    {
        // "locked" only for real accounts would tell an attacker which e-mails exist (issue 12, item 7).
        Assert.Equal(RenderAt("?error=invalid").Find("#sign-in-error").TextContent, RenderAt("?error=locked").Find("#sign-in-error").TextContent);
    }

    [Fact]
    public void Render_WhenFirstVisit_ShowsNoErrorAndKeepsTheReturnUrl()
    {
        var page = RenderAt("?returnUrl=%2Fips");
        Assert.Empty(page.FindAll("#sign-in-error"));
        Assert.Equal("/ips", page.Find("input[name=returnUrl]").GetAttribute("value"));
        Assert.Equal("post", page.Find("#sign-in-form").GetAttribute("method"));
    }
}
