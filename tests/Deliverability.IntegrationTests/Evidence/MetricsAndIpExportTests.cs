using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Deliverability.Core.Api;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Evidence;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Evidence;

/// <summary>GET /metrics (token, format, figures) and the sending IP export, against seeded rows in a real PostgreSQL.</summary>
public sealed class MetricsAndIpExportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => app.Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>Two IPs: 192.0.2.10 listed on Spamcop by its newest run (score 72, 5 block + 2 recipient bounces today), 192.0.2.20 never checked.</summary>
    private async Task SeedAsync()
    {
        await using var db = app.Factory.Database.CreateDbContext();
        if (await db.SendingIps.AnyAsync(Ct)) return;
        var listed = new SendingIp { Address = IPAddress.Parse("192.0.2.10"), Label = "mx1, \"main\"", CreatedAt = Now.AddDays(-30) };
        var quiet = new SendingIp { Address = IPAddress.Parse("192.0.2.20"), CreatedAt = Now.AddDays(-30) };
        db.SendingIps.AddRange(listed, quiet);
        await db.SaveChangesAsync(Ct);
        db.IpStatus.Add(new IpStatusSnapshot { SendingIpId = listed.Id, Health = IpHealth.Listed, Verdict = "Listed on SpamCop.", ListedOn = 1, SenderScore = 72, Bounces24h = 7, Bounces7d = 9, HardBounceRate = 0.25, ComputedAt = Now });
        var old = new CheckRun { SendingIpId = listed.Id, StartedAt = Now.AddHours(-30), FinishedAt = Now.AddHours(-30).AddSeconds(3), Status = CheckRunStatus.Completed };
        var run = new CheckRun { SendingIpId = listed.Id, StartedAt = Now.AddHours(-2), FinishedAt = Now.AddHours(-2).AddSeconds(4), Status = CheckRunStatus.Completed };
        var failed = new CheckRun { SendingIpId = quiet.Id, StartedAt = Now.AddHours(-1), Status = CheckRunStatus.Failed, Error = "resolver down" };
        db.CheckRuns.AddRange(old, run, failed);
        await db.SaveChangesAsync(Ct);
        db.CheckResults.AddRange(
            Result(old, listed.Id, "blocklist:b.barracudacentral.org", CheckStatus.Fail, "{}"),
            Result(run, listed.Id, "blocklist:bl.spamcop.net", CheckStatus.Fail, "{}"),
            Result(run, listed.Id, "blocklist:b.barracudacentral.org", CheckStatus.Pass, "{}"),
            Result(run, listed.Id, SenderScoreCheck.Name, CheckStatus.Warn, "{\"score\":72}"));
        var hour = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero);
        db.BounceHours.AddRange(
            new BounceHour { SendingIpId = listed.Id, Hour = hour, Provider = "", Family = ReasonFamily.Block, Bounces = 3 },
            new BounceHour { SendingIpId = listed.Id, Hour = hour.AddHours(-1), Provider = "gmail", Family = ReasonFamily.Block, Bounces = 2 },
            new BounceHour { SendingIpId = listed.Id, Hour = hour, Provider = "", Family = ReasonFamily.Recipient, Bounces = 2 },
            new BounceHour { SendingIpId = listed.Id, Hour = hour.AddDays(-3), Provider = "", Family = ReasonFamily.Recipient, Bounces = 40 });
        db.IngestBatches.AddRange(
            new IngestBatch { CreatedAt = Now.AddHours(-3), CreatedBy = "tests", Status = IngestStatus.Completed, SubmittedAt = Now.AddHours(-3), FinishedAt = Now.AddHours(-3), MessageCount = 100 },
            new IngestBatch { CreatedAt = Now.AddMinutes(-20), CreatedBy = "tests", Status = IngestStatus.Completed, SubmittedAt = Now.AddMinutes(-20), FinishedAt = Now.AddMinutes(-19), MessageCount = 30 },
            new IngestBatch { CreatedAt = Now.AddMinutes(-10), CreatedBy = "tests", Status = IngestStatus.Pending, SubmittedAt = Now.AddMinutes(-10) });
        await db.SaveChangesAsync(Ct);
    }

    private static StoredCheckResult Result(CheckRun run, long ipId, string check, CheckStatus status, string details) => new()
    {
        RunId = run.Id, SendingIpId = ipId, Check = check, Target = "192.0.2.10", Status = status, Summary = check, Details = details, CheckedAt = run.FinishedAt ?? run.StartedAt,
    };

    private async Task<HttpClient> ClientAsync(string? token)
    {
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        token ??= (await app.Factory.Services.GetRequiredService<ApiKeys>().CreateAsync("prometheus", "admin@example.com", Ct)).Token;
        if (token.Length > 0) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Metrics_WithoutTokenOrWithAWrongOne_Is401AndShowsNoFigures()
    {
        await SeedAsync();
        foreach (var token in new[] { "", "dlv_not-a-real-key", "garbage" })
        {
            using var client = await ClientAsync(token);
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("deliverability_", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var keys = app.Factory.Services.GetRequiredService<ApiKeys>();
        var revoked = await keys.CreateAsync("revoked scraper", "admin@example.com", Ct);
        await keys.RevokeAsync(revoked.Key.Id, Ct);
        using var revokedClient = await ClientAsync(revoked.Token);
        using var refused = await revokedClient.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Metrics_WithAToken_StatesTheSeededFigures()
    {
        await SeedAsync();
        using var client = await ClientAsync(null);
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(1, samples["deliverability_sending_ip_status{ip=\"192.0.2.10\",status=\"Listed\"}"]);
        Assert.Equal(0, samples["deliverability_sending_ip_status{ip=\"192.0.2.10\",status=\"Healthy\"}"]);
        Assert.Equal(1, samples["deliverability_sending_ip_status{ip=\"192.0.2.20\",status=\"NoData\"}"]);
        Assert.Equal(1, samples["deliverability_sending_ip_listed_lists{ip=\"192.0.2.10\"}"]);
        Assert.Equal(72, samples["deliverability_sending_ip_sender_score{ip=\"192.0.2.10\"}"]);
        Assert.False(samples.ContainsKey("deliverability_sending_ip_sender_score{ip=\"192.0.2.20\"}"), "an IP never scored has no Sender Score, not 0");
        Assert.Equal(5, samples["deliverability_bounces_24h{ip=\"192.0.2.10\",family=\"block\"}"]);
        Assert.Equal(2, samples["deliverability_bounces_24h{ip=\"192.0.2.10\",family=\"recipient\"}"]);
        Assert.Equal(130, samples["deliverability_ingest_messages_total"]);
        Assert.Equal(30, samples["deliverability_ingest_messages_last_hour"]);
        Assert.Equal(1, samples["deliverability_ingest_batches_waiting"]);
        Assert.InRange(samples["deliverability_ingest_lag_seconds"], 595, 900);
        Assert.Equal(1, samples["deliverability_job_failures{job=\"check_run\"}"]);
        Assert.Equal(1, samples["deliverability_check_run_duration_seconds_count"]);
        Assert.Equal(4, samples["deliverability_check_run_duration_seconds_sum"], 3);
        Assert.Equal(4, samples["deliverability_check_run_last_duration_seconds{ip=\"192.0.2.10\"}"], 3);
    }

    /// <summary>Every sample line as "name{labels}" → value; fails on a line that is neither a comment nor a sample.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.True(typed.Add(line.Split(' ')[2]), $"one TYPE line per family: {line}");
                continue;
            }

            if (line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            Assert.True(space > 0, $"a sample has a value: {line}");
            Assert.StartsWith("deliverability_", line, StringComparison.Ordinal);
            samples.Add(line[..space], double.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }

        return samples;
    }

    [Fact]
    public async Task IpExport_CsvAndJsonLines_ListEveryIpWithItsStatusListsAndScore()
    {
        await SeedAsync();
        using var client = await ClientAsync(null);
        using var csv = await client.GetAsync(new Uri("/api/v1/sending-ips/export.csv", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.StartsWith("attachment; filename=\"sending-ips-", csv.Content.Headers.ContentDisposition?.ToString() ?? csv.Headers.GetValues("Content-Disposition").First(), StringComparison.Ordinal);
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("id,address,label,status,listed_on,listed_by_checks,sender_score,", lines[0], StringComparison.Ordinal);
        // The newest run lists Spamcop; Barracuda was listed only by the older run, so it is not named.
        Assert.Contains(",192.0.2.10,\"mx1, \"\"main\"\"\",Listed,1,bl.spamcop.net,72,7,9,0.25,,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",192.0.2.20,,NoData,0,,,0,0,,,", lines[2], StringComparison.Ordinal);

        using var jsonl = await client.GetAsync(new Uri("/api/v1/sending-ips/export.jsonl", UriKind.Relative), Ct);
        var rows = (await jsonl.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("192.0.2.10", rows[0].GetProperty("address").GetString());
        Assert.Equal(["bl.spamcop.net"], rows[0].GetProperty("listed_by_checks").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(72, rows[0].GetProperty("sender_score").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("sender_score").ValueKind);

        using var anonymous = await ClientAsync("");
        using var refused = await anonymous.GetAsync(new Uri("/api/v1/sending-ips/export.csv", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task FleetHistory_CountsBlockedIpsFromBouncesAndListedIpsFromTheNewestRunOfEachDay()
    {
        await SeedAsync();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        await using var db = app.Factory.Database.CreateDbContext();
        var days = await FleetHistory.DaysAsync(db, today.AddDays(-5), today, Ct);

        Assert.Equal(6, days.Count);
        Assert.Equal(today, days[^1].Day);
        Assert.Equal(1, days[^1].Blocked);
        Assert.Equal(1, days[^1].Listed);
        // 30 hours ago a run found 192.0.2.10 on Barracuda: listed from that day on; nothing before it.
        var firstListed = DateOnly.FromDateTime(Now.AddHours(-30).UtcDateTime);
        Assert.All(days.Where(d => d.Day < firstListed), d => Assert.Equal(0, d.Listed));
        Assert.All(days.Where(d => d.Day >= firstListed), d => Assert.Equal(1, d.Listed));
        Assert.All(days.Where(d => d.Day < today.AddDays(-1)), d => Assert.Equal(0, d.Blocked));
    }
}
