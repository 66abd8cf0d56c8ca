using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Deliverability.Testing;

/// <summary>
/// The recent log of every app the tests started in this process, kept for failure messages: when a page does not answer a
/// click, only the server's log (a circuit that failed, a starved thread pool, a slow query) says why. Warnings and errors of
/// every category, and the information lines of the circuit and SignalR, which say when a circuit connected or died.
/// </summary>
public sealed class ServerLog(string app) : ILoggerProvider
{
    private const int Capacity = 400;
    private static readonly ConcurrentQueue<string> Lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(app, categoryName);

    public void Dispose()
    {
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first, with the state of the thread pool now.</summary>
    public static string Recent(int count = 60)
    {
        var lines = Lines.ToArray();
        var pool = string.Create(CultureInfo.InvariantCulture,
            $"thread pool now: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items waiting, {ThreadPool.CompletedWorkItemCount} done");
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)).Prepend(pool));
    }

    public static void Add(string line)
    {
        Lines.Enqueue(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + " " + line);
        while (Lines.Count > Capacity && Lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(string app, string category) : ILogger
    {
        private readonly bool _circuitCategory = category.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal)
            || category.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal)
            || category.StartsWith("Microsoft.AspNetCore.Http.Connections", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= (_circuitCategory ? LogLevel.Debug : LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var shortCategory = category[(category.LastIndexOf('.') + 1)..];
            var text = $"[{app}] {logLevel} {shortCategory}: {formatter(state, exception)}";
            Add(exception is null ? text : text + " | " + exception.GetType().Name + ": " + exception.Message);
        }
    }
}
