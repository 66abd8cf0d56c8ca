using Deliverability.Core.Checks;
using Deliverability.Core.Jobs;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Deliverability.Web.Jobs;

/// <summary>
/// Writes <see cref="RecurringJobs"/> to Hangfire's storage at start-up, on every instance (also dashboard-only ones, so the
/// dashboard lists them): the definitions are idempotent, so keep Checks:Schedule the same on every instance.
/// </summary>
public sealed class RecurringJobsSync(IRecurringJobManager recurring, IOptions<ChecksOptions> checks) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        RecurringJobs.Sync(recurring, checks.Value);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
