using System.Threading.Channels;

namespace Deliverability.Cli.Commands;

/// <summary>
/// Runs a CPU-bound step over a stream of inputs on several threads and hands the results out in input order.
/// Memory stays bounded: at most <c>window</c> inputs are read ahead of the result being written.
/// </summary>
internal static class OrderedPipeline
{
    public static async Task RunAsync<TIn, TOut>(
        IEnumerable<TIn> inputs, Func<TIn, TOut> work, Action<TOut> consume, int workers, CancellationToken ct)
    {
        workers = Math.Max(1, workers);
        var window = workers * 16;
        var queue = Channel.CreateBounded<(TIn Input, TaskCompletionSource<TOut> Result)>(
            new BoundedChannelOptions(window) { SingleWriter = true, SingleReader = workers == 1 });
        var inOrder = Channel.CreateBounded<Task<TOut>>(new BoundedChannelOptions(window) { SingleWriter = true, SingleReader = true });

        var produce = Task.Run(async () =>
        {
            try
            {
                foreach (var input in inputs)
                {
                    var result = new TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously);
                    await inOrder.Writer.WriteAsync(result.Task, ct);
                    await queue.Writer.WriteAsync((input, result), ct);
                }
            }
            finally
            {
                queue.Writer.TryComplete();
                inOrder.Writer.TryComplete();
            }
        }, ct);

        var consumers = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            await foreach (var (input, result) in queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    result.SetResult(work(input));
                }
                catch (Exception e)
                {
                    result.SetException(e);
                }
            }
        }, ct)).ToList();

        await foreach (var next in inOrder.Reader.ReadAllAsync(ct))
        {
            consume(await next);
        }

        await produce;
        await Task.WhenAll(consumers);
    }
}
