using Hangfire.Logging;

namespace Deliverability.Web.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide: the last app configured sets it. With several apps in one process (the tests),
/// an app that was stopped leaves its disposed logger factory behind, and every Hangfire client the other apps create then
/// throws (a page that enqueues answered 500). This provider answers with a silent log once its app's factory is gone.
/// </summary>
internal sealed class HostBoundLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return SilentLog.Instance;
        }
    }

    private sealed class SilentLog : ILog
    {
        public static readonly SilentLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
