using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Deliverability.Core.Api;
using Deliverability.Core.Bounces;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Logs;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Evidence;

/// <summary>GET /api/v1/bounces, the CSV and JSON lines exports and the suppression list, through the running app.</summary>
public sealed class BounceExportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly DateTimeOffset Now = ExplorerSeed.Now;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ExplorerSeed> SeedAsync() => await ExplorerSeed.CreateAsync(app.Factory.Database.CreateDbContext);

    private async Task<HttpClient> ApiClientAsync()
    {
        var created = await app.Factory.Services.GetRequiredService<ApiKeys>().CreateAsync("explorer tests", "admin@example.com", Ct);
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        return client;
    }

    [Fact]
    public async Task Api_PagesWithTheCursor_AndAViewerMayRead_ButNobodyElse()
    {
        var seed = await SeedAsync();
        await seed.AddAsync([.. Enumerable.Range(0, 5).Select(i => seed.NewBounce(null, $"api{i}@example.com", Now.AddMinutes(-i), code: "APIPAGE"))]);
        await app.Factory.AddUserAsync("viewer-explorer@example.com", Roles.Viewer);
        using var viewer = await SignedInClient.CreateAsync(app.Factory, "viewer-explorer@example.com");

        using var first = await viewer.GetAsync(new Uri("/api/v1/bounces?code=APIPAGE&limit=3&facets=true", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var page1 = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["api0@example.com", "api1@example.com", "api2@example.com"], Recipients(page1));
        Assert.Equal(5, page1.RootElement.GetProperty("facets").GetProperty("total").GetInt64());
        var next = page1.RootElement.GetProperty("next").GetString()!;
        Assert.Contains("code=APIPAGE", next, StringComparison.Ordinal);

        using var second = await viewer.GetAsync(new Uri(next, UriKind.Relative), Ct);
        using var page2 = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["api3@example.com", "api4@example.com"], Recipients(page2));
        Assert.False(page2.RootElement.TryGetProperty("next_cursor", out _), "the last page has no next cursor");

        using var anonymous = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var path in new[] { "/api/v1/bounces", "/api/v1/bounces/export.csv", "/api/v1/suppression-list.csv" })
        {
            using var refused = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    private static List<string> Recipients(JsonDocument page) =>
        page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("recipient").GetString()!).ToList();

    [Theory]
    [InlineData("/api/v1/bounces?ip=not-an-ip", "ip")]
    [InlineData("/api/v1/bounces?limit=0", "limit")]
    [InlineData("/api/v1/bounces?cursor=garbage", "cursor")]
    [InlineData("/api/v1/bounces?reason=nonsense", "reason")]
    [InlineData("/api/v1/bounces/export.csv?from=yesterday", "from")]
    [InlineData("/api/v1/bounces/export.jsonl?kind=Bouncy", "kind")]
    public async Task BadInput_IsAProblemThatNamesTheField(string path, string field)
    {
        using var client = await ApiClientAsync();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors names {field}");
    }

    [Fact]
    public async Task Csv_QuotesWhatNeedsIt_AndDisarmsFormulas()
    {
        var seed = await SeedAsync();
        await seed.AddAsync(
            seed.NewBounce(null, "=cmd|'/c calc'!A1@example.com", Now, code: "ESC", diagnostic: "550 \"quoted\", with comma\r\nand a second line"),
            seed.NewLogLine(null, "plain@example.com", Now.AddMinutes(-1), DeliveryStatus.Bounced, code: "ESC", reply: "+1 -2 @3"));
        using var client = await ApiClientAsync();
        using var response = await client.GetAsync(new Uri("/api/v1/bounces/export.csv?code=ESC", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var lines = text.Split("\r\n");
        Assert.Equal(string.Join(',', Core.Evidence.BounceExport.Columns), lines[0]);
        Assert.Contains(",'=cmd|'/c calc'!A1@example.com,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"550 \"\"quoted\"\", with comma\r\nand a second line\",", text, StringComparison.Ordinal);
        Assert.Contains(",'+1 -2 @3,", text, StringComparison.Ordinal);
        Assert.StartsWith("log,", lines[^2], StringComparison.Ordinal);
        Assert.Equal("", lines[^1]);
    }

    [Fact]
    public async Task JsonLines_OneObjectPerRow()
    {
        var seed = await SeedAsync();
        await seed.AddAsync(seed.NewBounce(null, "json@example.com", Now, code: "JSONL", diagnostic: "550 \"x\"\n<b>"));
        using var client = await ApiClientAsync();
        var text = await client.GetStringAsync(new Uri("/api/v1/bounces/export.jsonl?code=JSONL", UriKind.Relative), Ct);
        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var row = JsonDocument.Parse(line);
        Assert.Equal("550 \"x\"\n<b>", row.RootElement.GetProperty("diagnostic").GetString());
        Assert.Equal(550, row.RootElement.GetProperty("reply_code").GetInt32());
    }

    [Fact]
    public async Task TenThousandRows_AreStreamed_ChunkByChunk_NotBufferedFirst()
    {
        var seed = await SeedAsync();
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            // Half bounces, half log lines, one a second.
            for (var i = 0; i < 5000; i++)
            {
                db.Bounces.Add(seed.NewBounce(null, $"bulk-b{i}@example.com", Now.AddSeconds(-2 * i), code: "BULK", diagnostic: "550 5.7.1 refused, " + new string('x', 100)));
                db.MtaLogDeliveries.Add(seed.NewLogLine(null, $"bulk-l{i}@example.com", Now.AddSeconds(-2 * i - 1), DeliveryStatus.Bounced, code: "BULK", reply: "550 refused"));
            }

            await db.SaveChangesAsync(Ct);
        }

        using var client = await ApiClientAsync();
        using var response = await client.GetAsync(new Uri("/api/v1/bounces/export.csv?code=BULK", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        using var reader = new StreamReader(body);
        Assert.StartsWith("source,id,", await reader.ReadLineAsync(Ct), StringComparison.Ordinal);
        Assert.StartsWith("bounce,", await reader.ReadLineAsync(Ct), StringComparison.Ordinal);

        // The client has read two lines. A server that had buffered the export would have read every row already; this one
        // waits for the client, so a row added now, older than all of them, still reaches the end of the file.
        await seed.AddAsync(seed.NewBounce(null, "added-while-streaming@example.com", Now.AddDays(-1), code: "BULK"));
        var count = 2;
        string? last = null;
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            count++;
            last = line;
        }

        Assert.Equal(1 + 10_000 + 1, count);
        Assert.Contains("added-while-streaming@example.com", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuppressionList_HoldsAddressesThatWillNeverTakeMail_AndComplaints()
    {
        var seed = await SeedAsync();
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            db.Bounces.AddRange(
                seed.NewBounce(null, "Gone@Example.com", Now.AddDays(-2), BounceReasons.UserUnknown),
                seed.NewBounce(null, "gone@example.com", Now.AddDays(-1), BounceReasons.HasMoved),
                seed.NewBounce(null, "blocked-only@example.com", Now, BounceReasons.Blocked),
                seed.NewBounce(null, "delayed@example.com", Now, BounceReasons.UserUnknown, kind: BounceKind.Delay));
            db.MtaLogDeliveries.Add(seed.NewLogLine(null, "nohost@nowhere.example", Now, DeliveryStatus.Bounced, BounceReasons.HostUnknown));
            db.Complaints.Add(new Complaint { RawMessageId = seed.RawMessageId, RecipientIndex = 9000, BatchId = seed.BatchId, Recipient = "angry@example.com", FeedbackType = "abuse", OccurredAt = Now });
            await db.SaveChangesAsync(Ct);
        }

        using var client = await ApiClientAsync();
        var lines = (await client.GetStringAsync(new Uri("/api/v1/suppression-list.csv", UriKind.Relative), Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("email,reason,last_seen,times", lines[0]);
        Assert.Contains("angry@example.com,complaint,2026-11-28T12:00:00Z,1", lines);
        Assert.Contains("gone@example.com,hasmoved,2026-11-27T12:00:00Z,2", lines);
        Assert.Contains("nohost@nowhere.example,hostunknown,2026-11-28T12:00:00Z,1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("blocked-only@", StringComparison.Ordinal) || l.StartsWith("delayed@", StringComparison.Ordinal));
    }
}
