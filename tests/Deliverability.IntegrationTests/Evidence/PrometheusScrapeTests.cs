using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deliverability.Core.Api;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Evidence;

/// <summary>
/// A real Prometheus (scripts/prometheus-up.sh, which ./test.sh starts) scrapes the running app's /metrics with a scrape
/// token, and the figures are read back through Prometheus's HTTP API; every metric the Grafana dashboard queries exists.
/// </summary>
public sealed partial class PrometheusScrapeTests : IAsyncLifetime
{
    private DeliverabilityAppFactory _factory = default!;
    private string _targetFile = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "prometheus-up.sh"))) return dir.FullName;
        }

        throw new InvalidOperationException("The repository root (with scripts/prometheus-up.sh) was not found above " + AppContext.BaseDirectory);
    }

    private static string PrometheusDir => Path.Combine(RepositoryRoot(), ".data", "prometheus");

    private static Uri PrometheusUrl => new($"http://127.0.0.1:{Environment.GetEnvironmentVariable("DELIVERABILITY_PROMETHEUS_PORT") ?? "55190"}/");

    public async ValueTask InitializeAsync()
    {
        _factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync());
        _factory.UseKestrel(0);
        _factory.StartServer();
    }

    public async ValueTask DisposeAsync()
    {
        if (_targetFile.Length > 0) File.Delete(_targetFile);
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Prometheus_ScrapesTheFigures_AndGrafanaQueriesOnlyMetricsThatExist()
    {
        await using (var db = _factory.Database.CreateDbContext())
        {
            var ip = new SendingIp { Address = IPAddress.Parse("198.51.100.7"), CreatedAt = DateTimeOffset.UnixEpoch };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            db.IpStatus.Add(new IpStatusSnapshot { SendingIpId = ip.Id, Health = IpHealth.Blocked, Verdict = "Blocked.", ListedOn = 2, SenderScore = 64, ComputedAt = DateTimeOffset.UnixEpoch });
            // A bounce hour and a check run of today, so that every family the dashboard charts has a sample.
            var now = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            db.BounceHours.Add(new BounceHour { SendingIpId = ip.Id, Hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero), Provider = "", Family = ReasonFamily.Block, Bounces = 9 });
            db.CheckRuns.Add(new CheckRun { SendingIpId = ip.Id, StartedAt = now.AddMinutes(-5), FinishedAt = now.AddMinutes(-5).AddSeconds(2), Status = CheckRunStatus.Completed });
            await db.SaveChangesAsync(Ct);
        }

        var token = (await _factory.Services.GetRequiredService<ApiKeys>().CreateAsync("prometheus", "admin@example.com", Ct)).Token;
        var app = _factory.ClientOptions.BaseAddress;
        Directory.CreateDirectory(Path.Combine(PrometheusDir, "targets"));
        await File.WriteAllTextAsync(Path.Combine(PrometheusDir, "token"), token, Ct);
        _targetFile = Path.Combine(PrometheusDir, "targets", "deliverability.json");
        await File.WriteAllTextAsync(_targetFile, $"[{{\"targets\":[\"{app.Host}:{app.Port}\"]}}]", Ct);

        using var prometheus = new HttpClient { BaseAddress = PrometheusUrl };
        var score = await QueryUntilAsync(prometheus, "deliverability_sending_ip_sender_score{ip=\"198.51.100.7\"}");
        Assert.Equal("64", score);
        Assert.Equal("1", await QueryUntilAsync(prometheus, "deliverability_sending_ip_status{ip=\"198.51.100.7\",status=\"Blocked\"}"));
        Assert.Equal("2", await QueryUntilAsync(prometheus, "deliverability_sending_ip_listed_lists{ip=\"198.51.100.7\"}"));
        Assert.Equal("1", await QueryUntilAsync(prometheus, "up{job=\"deliverability\"}"));
        Assert.Equal("9", await QueryUntilAsync(prometheus, "sum(deliverability_bounces_24h{family=\"block\"})"));

        using var names = JsonDocument.Parse(await prometheus.GetStringAsync(new Uri("api/v1/label/__name__/values", UriKind.Relative), Ct));
        var known = names.RootElement.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal);
        var dashboard = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "grafana", "deliverability.json"), Ct);
        var queried = MetricName().Matches(dashboard).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.Contains(name, known));
    }

    /// <summary>The value of an instant query once Prometheus has scraped it (it scrapes every second; at most 60 s).</summary>
    private static async Task<string> QueryUntilAsync(HttpClient prometheus, string query)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await prometheus.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative), Ct);
            using var answer = JsonDocument.Parse(last);
            var result = answer.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() > 0) return result[0].GetProperty("value")[1].GetString()!;
            await Task.Delay(500, Ct);
        }

        throw new TimeoutException($"Prometheus never answered {query}: last answer {last}; targets: {await prometheus.GetStringAsync(new Uri("api/v1/targets", UriKind.Relative), Ct)}");
    }

    [GeneratedRegex(@"\bdeliverability_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
