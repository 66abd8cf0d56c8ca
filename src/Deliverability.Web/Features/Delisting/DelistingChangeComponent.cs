using Deliverability.Core.Delisting;
using Deliverability.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Deliverability.Web.Features.Delisting;

/// <summary>
/// Base of the delisting components that change cases. Every change checks the Operator policy on the server first: hiding
/// the buttons from viewers is not enough, since a circuit can invoke any handler of the component.
/// </summary>
public abstract class DelistingChangeComponent : ComponentBase
{
    [Inject] protected DelistingCases Cases { get; set; } = default!;
    [Inject] protected DelistingCaseReader CaseReader { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    /// <summary>Whether the signed-in user may change cases (Operator or Admin); decides which buttons show.</summary>
    protected bool CanChange { get; private set; }

    /// <summary>Whether a change of <see cref="RunChangeAsync"/> is running: the component's buttons are disabled meanwhile.</summary>
    protected bool Busy { get; private set; }

    protected async Task LoadPermissionAsync()
    {
        var user = (await AuthState).User;
        CanChange = (await Authorization.AuthorizeAsync(user, AuthSetup.OperatorPolicy)).Succeeded;
    }

    /// <summary>Runs <paramref name="change"/> with the user's name if the user is an Operator or Admin; reports refusals in a snackbar.</summary>
    protected async Task<bool> ChangeAsync(Func<string, Task> change, string? done = null)
    {
        var user = (await AuthState).User;
        if (!(await Authorization.AuthorizeAsync(user, AuthSetup.OperatorPolicy)).Succeeded)
        {
            Snackbar.Add("Only operators and admins can change delisting cases.", Severity.Error);
            return false;
        }

        try
        {
            await change(user.Identity?.Name ?? "unknown");
        }
        catch (DelistingCaseException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
            return false;
        }

        if (done is not null)
        {
            Snackbar.Add(done, Severity.Success);
        }

        return true;
    }

    /// <summary>Runs <see cref="ChangeAsync"/> with <see cref="Busy"/> set, then <paramref name="reload"/>, whether the change was refused or not.</summary>
    protected async Task RunChangeAsync(Func<string, Task> change, string? done, Func<Task> reload)
    {
        Busy = true;
        try
        {
            await ChangeAsync(change, done);
            await reload();
        }
        finally
        {
            Busy = false;
        }
    }
}
