using System.Linq.Expressions;
using Deliverability.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Alerts;

/// <summary>
/// A job scheduler that queues what use cases ask for and runs it when the test says (<see cref="DrainAsync"/>), each job in its
/// own scope like Hangfire; a job that throws stays in <see cref="Failed"/> so the test can retry it, as Hangfire would.
/// </summary>
public sealed class QueuedJobs : IJobScheduler
{
    private readonly Queue<(Type Type, Func<IServiceProvider, Task> Run)> _queue = new();
    private readonly List<(Type Type, Func<IServiceProvider, Task> Run, Exception Error)> _failed = [];

    public IReadOnlyList<(Type Type, Func<IServiceProvider, Task> Run, Exception Error)> Failed
    {
        get
        {
            lock (_failed) return _failed.ToList();
        }
    }

    public Task EnqueueAsync<TJob>(Expression<Func<TJob, Task>> run, CancellationToken ct) where TJob : notnull
    {
        var compiled = run.Compile();
        lock (_queue) _queue.Enqueue((typeof(TJob), services => compiled(services.GetRequiredService<TJob>())));
        return Task.CompletedTask;
    }

    /// <summary>How many jobs wait to be run.</summary>
    public int Pending
    {
        get
        {
            lock (_queue) return _queue.Count;
        }
    }

    /// <summary>Runs queued jobs (and the jobs they queue) until none is left; returns how many ran.</summary>
    public async Task<int> DrainAsync(IServiceProvider services)
    {
        var ran = 0;
        while (true)
        {
            (Type Type, Func<IServiceProvider, Task> Run) next;
            lock (_queue)
            {
                if (!_queue.TryDequeue(out next)) return ran;
            }

            ran++;
            await using var scope = services.CreateAsyncScope();
            try
            {
                await next.Run(scope.ServiceProvider);
            }
            catch (Exception e)
            {
                lock (_failed) _failed.Add((next.Type, next.Run, e));
            }
        }
    }

    /// <summary>Hangfire's retry: runs the failed jobs again (and what they queue).</summary>
    public async Task RetryFailedAsync(IServiceProvider services)
    {
        List<(Type Type, Func<IServiceProvider, Task> Run, Exception Error)> failed;
        lock (_failed)
        {
            failed = _failed.ToList();
            _failed.Clear();
        }

        lock (_queue)
        {
            foreach (var job in failed) _queue.Enqueue((job.Type, job.Run));
        }

        await DrainAsync(services);
    }
}
