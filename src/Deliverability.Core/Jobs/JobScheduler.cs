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

    /// <summary>
    /// Jobs that do not depend on each other (the chunks of a big diagnosis): queued one by one, so the job servers' workers
    /// share them; the inline scheduler runs them side by side, one per core.
    /// </summary>
    async Task EnqueueEachAsync<TJob>(IReadOnlyList<Expression<Func<TJob, Task>>> runs, CancellationToken ct) where TJob : notnull
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
        {
            await EnqueueAsync(run, ct);
        }
    }
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

    /// <summary>
    /// Side by side, as many at once as there are cores (what a job server's workers would do), each in its own scope; returns
    /// when all are done. A job that throws stops the others from starting and its exception is thrown here.
    /// </summary>
    public async Task EnqueueEachAsync<TJob>(IReadOnlyList<Expression<Func<TJob, Task>>> runs, CancellationToken ct) where TJob : notnull
    {
        ArgumentNullException.ThrowIfNull(runs);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
        await Parallel.ForEachAsync(runs, options, async (run, _) => await EnqueueAsync(run, ct));
    }
}
