using Deliverability.Core.Users;
using Deliverability.Web.Auth;
using Deliverability.Web.Components.Layout;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Layout;

public class NavMenuTests : BunitContext
{
    public NavMenuTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void Render_ForAnyUser_LinksEverySection()
    {
        AddAuthorization().SetAuthorized("viewer@example.com").SetRoles(Roles.Viewer);
        var links = Render<NavMenu>().FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/", "/ips", "/bounces", "/uploads", "/domains", "/reports", "/delisting", "/alerts", "/settings"], links);
    }

    [Fact]
    public void Render_ForAdmin_AlsoLinksTheJobsDashboard()
    {
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetPolicies(AuthSetup.AdminPolicy, AuthSetup.OperatorPolicy);
        Assert.Contains(Render<NavMenu>().FindAll("a"), a => a.GetAttribute("href") == "/hangfire");
    }
}
