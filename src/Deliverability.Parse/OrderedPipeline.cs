using System.Threading.Channels;

namespace Deliverability.Parse;

/// <summary>
/// Runs a CPU-bound step over a stream of inputs on several threads and hands the results out in input order.
/// Inputs travel in batches, so the hand-over between threads (channel, task completion, a wake-up) is paid once per
/// batch rather than once per message. Memory stays bounded: at most <c>2 x workers + workers</c> batches are read
/// ahead of the result being written.
/// </summary>
internal static class OrderedPipeline
{
    /// <summary>Inputs per batch: small enough to keep the read-ahead of an mbox bounded, large enough to amortise the hand-over.</summary>
    public const int BatchSize = 16;

    public static async Task RunAsync<TIn, TOut>(
        IEnumerable<TIn> inputs, Func<TIn, TOut> work, Action<TOut> consume, int workers, CancellationToken ct)
    {
        workers = Math.Max(1, workers);
        var queue = Channel.CreateBounded<(TIn[] Batch, TaskCompletionSource<TOut[]> Result)>(
            new BoundedChannelOptions(workers) { SingleWriter = true, SingleReader = workers == 1 });
        var inOrder = Channel.CreateBounded<Task<TOut[]>>(new BoundedChannelOptions(workers * 2) { SingleWriter = true, SingleReader = true });

        var produce = Task.Run(async () =>
        {
            try
            {
                foreach (var batch in inputs.Chunk(BatchSize))
                {
                    var result = new TaskCompletionSource<TOut[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                    await inOrder.Writer.WriteAsync(result.Task, ct);
                    await queue.Writer.WriteAsync((batch, result), ct);
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
            await foreach (var (batch, result) in queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    var outputs = new TOut[batch.Length];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        outputs[i] = work(batch[i]);
                    }

                    result.SetResult(outputs);
                }
                catch (Exception e)
                {
                    result.SetException(e);
                }
            }
        }, ct)).ToList();

        await foreach (var next in inOrder.Reader.ReadAllAsync(ct))
        {
            foreach (var output in await next)
            {
                consume(output);
            }
        }

        await produce;
        await Task.WhenAll(consumers);
    }
}
