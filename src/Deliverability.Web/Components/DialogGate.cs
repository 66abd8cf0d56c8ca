namespace Deliverability.Web.Components;

/// <summary>
/// Lets a component open one dialog at a time. Clicks reach the circuit in order, and a handler that shows a dialog
/// stays suspended until the dialog closes, so a second click that arrives before the first dialog has rendered (a
/// double click, or any click on a busy server) would otherwise open a second copy of the dialog over the first.
/// </summary>
public sealed class DialogGate
{
    private bool _open;

    public async Task OpenAsync(Func<Task> showDialog)
    {
        if (_open)
        {
            return;
        }

        _open = true;
        try
        {
            await showDialog();
        }
        finally
        {
            _open = false;
        }
    }
}
