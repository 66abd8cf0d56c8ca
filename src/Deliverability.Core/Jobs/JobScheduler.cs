using System.Linq.Expressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core.Jobs;

/// <summary>
/// Where the work a use case asks for runs: on Hangfire's queues in the web app (the queue comes from the job method's
/// <c>[Queue]</c> attribute), at once and in order in the CLI, which has no job server.
/// </summary>
public interface IJobScheduler
{
    Task EnqueueAsync<TJob>(Expression<Func<TJob, Task>> run, CancellationToken ct) where TJob : notnull;
}

/// <summary>Queues the job in Hangfire; a job server (this process or another) runs it.</summary>
public sealed class HangfireJobScheduler(IBackgroundJobClient jobs) : IJobScheduler
{
    public Task EnqueueAsync<TJob>(Expression<Func<TJob, Task>> run, CancellationToken ct) where TJob : notnull
    {
        jobs.Enqueue(run);
        return Task.CompletedTask;
    }
}

/// <summary>Runs the job now, in its own scope, and returns when it is done (the CLI; tests without a job server).</summary>
public sealed class InlineJobScheduler(IServiceScopeFactory scopes) : IJobScheduler
{
    public async Task EnqueueAsync<TJob>(Expression<Func<TJob, Task>> run, CancellationToken ct) where TJob : notnull
    {
        ArgumentNullException.ThrowIfNull(run);
        ct.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        await run.Compile()(scope.ServiceProvider.GetRequiredService<TJob>());
    }
}
