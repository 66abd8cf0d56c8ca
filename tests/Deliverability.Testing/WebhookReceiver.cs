using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Deliverability.Testing;

/// <summary>
/// A real HTTP server inside the test process (HttpListener on 127.0.0.1 and a free port) that keeps every request and answers
/// each path with the status codes queued for it (200 when none is queued).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode>> _answers = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public WebhookReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public IReadOnlyList<Received> At(string path) => _received.Where(r => r.Path == path).ToList();

    /// <summary>The next requests to <paramref name="path"/> get these codes, in order.</summary>
    public void Answer(string path, params HttpStatusCode[] codes)
    {
        var queue = _answers.GetOrAdd(path, _ => new ConcurrentQueue<HttpStatusCode>());
        foreach (var code in codes) queue.Enqueue(code);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var path = context.Request.Url!.AbsolutePath;
            _received.Enqueue(new Received(path, headers, body));
            var code = _answers.TryGetValue(path, out var queue) && queue.TryDequeue(out var queued) ? queued : HttpStatusCode.OK;
            context.Response.StatusCode = (int)code;
            var answer = Encoding.UTF8.GetBytes(code == HttpStatusCode.OK ? "ok" : "receiver error");
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
