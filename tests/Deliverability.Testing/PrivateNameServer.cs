using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Deliverability.Testing;

/// <summary>
/// A private NSD (scripts/dns-up.sh) on a free port of 127.0.0.1, serving zone files a test writes; stopped on dispose
/// (scripts/dns-down.sh). <see cref="StartLyingAsync"/> serves only a root zone with SOA and NS: every other name is NXDOMAIN,
/// the resolver that lies. Compiled into Deliverability.DnsTests too (linked source), which has no web references.
/// </summary>
public sealed class PrivateNameServer : IAsyncDisposable
{
    /// <summary>A root zone with nothing but its SOA and NS: NSD answers NXDOMAIN, authoritatively, for every name below it.</summary>
    public const string RootOnlyZone = """
        $ORIGIN .
        $TTL 60
        @ IN SOA ns.lying.invalid. hostmaster.lying.invalid. ( 1 3600 600 86400 60 )
        @ IN NS ns.lying.invalid.

        """;

    private readonly DirectoryInfo _dir;

    private PrivateNameServer(DirectoryInfo dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:port", the form of Dns:NameServers.</summary>
    public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static Task<PrivateNameServer> StartLyingAsync() =>
        StartAsync(new Dictionary<string, string> { ["root.zone"] = RootOnlyZone });

    /// <summary>Serves <paramref name="zoneFiles"/> (file name, e.g. "root.zone" or "example.test.zone", to its text).</summary>
    public static async Task<PrivateNameServer> StartAsync(IReadOnlyDictionary<string, string> zoneFiles)
    {
        var dir = Directory.CreateTempSubdirectory("deliverability-nsd-");
        var zones = Directory.CreateDirectory(Path.Combine(dir.FullName, "zones"));
        foreach (var (name, text) in zoneFiles)
        {
            await File.WriteAllTextAsync(Path.Combine(zones.FullName, name), text);
        }

        // Another process may take the free port between the probe and NSD's bind: try a few.
        string? error = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            var (code, stderr) = await RunScriptAsync("dns-up.sh", dir, port);
            if (code == 0) return new PrivateNameServer(dir, port);
            error = stderr;
            await RunScriptAsync("dns-down.sh", dir, port);
        }

        dir.Delete(recursive: true);
        throw new InvalidOperationException($"scripts/dns-up.sh could not start a private NSD: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync("dns-down.sh", _dir, Port);
        // NSD's last child can still be writing its run files for a moment after dns-down.sh returns.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _dir.Delete(recursive: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 right now.</summary>
    private static int FreePort()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: ask for another.
            }
        }
    }

    private static async Task<(int Code, string Error)> RunScriptAsync(string script, DirectoryInfo dir, int port)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", script)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["DELIVERABILITY_DNS_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["DELIVERABILITY_DNS_ZONES"] = Path.Combine(dir.FullName, "zones");
        start.Environment["DELIVERABILITY_DNS_RUN"] = Path.Combine(dir.FullName, "run");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await output;
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "dns-up.sh"))) return dir.FullName;
        }

        throw new InvalidOperationException("scripts/dns-up.sh not found above " + AppContext.BaseDirectory);
    }
}
