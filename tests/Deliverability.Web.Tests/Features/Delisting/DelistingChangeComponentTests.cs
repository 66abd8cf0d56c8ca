using Deliverability.Core.Delisting;
using Deliverability.Core.Users;
using Deliverability.Web.Auth;
using Deliverability.Web.Features.Delisting;

namespace Deliverability.Web.Tests.Features.Delisting;

/// <summary>The server-side check every case change goes through, whatever buttons the page shows.</summary>
public class DelistingChangeComponentTests : DelistingComponentContext
{
    [Fact]
    public async Task ChangeAsync_ForAViewer_RefusesWithoutRunningTheChange()
    {
        AddAuthorization().SetAuthorized("viewer@example.com").SetRoles(Roles.Viewer);
        var probe = Render<ChangeProbe>();

        var ran = false;
        var changed = await probe.InvokeAsync(() => probe.Instance.TryAsync(_ => { ran = true; return Task.CompletedTask; }));

        Assert.False(changed);
        Assert.False(ran);
        Assert.False(probe.Instance.MayChange);
    }

    [Fact]
    public async Task ChangeAsync_ForAnOperator_RunsTheChangeWithTheUserName()
    {
        AddAuthorization().SetAuthorized("operator@example.com").SetRoles(Roles.Operator).SetPolicies(AuthSetup.OperatorPolicy);
        var probe = Render<ChangeProbe>();

        string? user = null;
        var changed = await probe.InvokeAsync(() => probe.Instance.TryAsync(name => { user = name; return Task.CompletedTask; }));

        Assert.True(changed);
        Assert.Equal("operator@example.com", user);
        Assert.True(probe.Instance.MayChange);
    }

    [Fact]
    public async Task ChangeAsync_WhenTheCaseRefuses_ReportsInsteadOfThrowing()
    {
        AddAuthorization().SetAuthorized("operator@example.com").SetRoles(Roles.Operator).SetPolicies(AuthSetup.OperatorPolicy);
        var probe = Render<ChangeProbe>();

        var changed = await probe.InvokeAsync(() => probe.Instance.TryAsync(_ => throw new DelistingCaseException("Enter the ticket number Microsoft gave you.")));

        Assert.False(changed);
    }

    /// <summary>A component using the base class exactly as the pages do.</summary>
    public sealed class ChangeProbe : DelistingChangeComponent
    {
        public bool MayChange => CanChange;

        public Task<bool> TryAsync(Func<string, Task> change) => ChangeAsync(change);

        protected override Task OnInitializedAsync() => LoadPermissionAsync();
    }
}
