using Deliverability.Core.Bounces;
using Deliverability.Core.Evidence;
using Deliverability.Core.Logs;
using Deliverability.Core.Remediation;
using Deliverability.Testing;

namespace Deliverability.IntegrationTests.Evidence;

/// <summary>The explorer's query in PostgreSQL: each filter, both sources together, cursor paging, facets.</summary>
public sealed class BounceExplorerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = ExplorerSeed.Now;
    private TestDatabase _database = default!;
    private ExplorerSeed _seed = default!;
    private long _otherBatch;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _seed = await ExplorerSeed.CreateAsync(_database.CreateDbContext);
        var other = await ExplorerSeed.CreateAsync(_database.CreateDbContext);
        _otherBatch = other.BatchId;
        var a = await _seed.IpAsync("203.0.113.7");
        var b = await _seed.IpAsync("198.51.100.9");
        await _seed.AddAsync(
            _seed.NewBounce(a, "blocked1@hotmail.com", Now.AddHours(-1), provider: "outlook.com", code: "S3150",
                diagnostic: "550 5.7.1 Unfortunately, messages from [203.0.113.7] weren't sent. (S3150)", senderDomain: "news.example.com"),
            _seed.NewBounce(a, "nobody@gmail.com", Now.AddHours(-2), BounceReasons.UserUnknown, "gmail.com",
                diagnostic: "550 5.1.1 The email account that you tried to reach does not exist.", senderDomain: "billing.example.com"),
            _seed.NewBounce(b, "slow@yahoo.com", Now.AddDays(-3), BounceReasons.TooManyConn, "yahoo.com", "TSS04",
                "421 4.7.0 [TSS04] Messages from 198.51.100.9 temporarily deferred", BounceKind.Delay),
            _seed.NewBounce(a, "old@hotmail.com", Now.AddDays(-10), provider: "outlook.com", code: "S3150", diagnostic: "550 100%_off offer refused S3150"),
            other.NewBounce(null, "elsewhere@example.org", Now.AddDays(-5), BounceReasons.Undefined, diagnostic: "something else"),
            _seed.NewLogLine(a, "line1@outlook.com", Now.AddMinutes(-30), DeliveryStatus.Bounced, provider: "outlook.com", code: "S3150",
                reply: "550 5.7.1 Unfortunately, messages from [203.0.113.7] weren't sent (S3150)"),
            _seed.NewLogLine(b, "line2@yahoo.com", Now.AddDays(-1), DeliveryStatus.Deferred, BounceReasons.TooManyConn, "yahoo.com", "TSS04", "421 4.7.0 [TSS04] deferred"),
            _seed.NewLogLine(a, "delivered@outlook.com", Now.AddMinutes(-10), DeliveryStatus.Sent, provider: "outlook.com", reply: "250 2.6.0 queued"));
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<string>> RecipientsAsync(BounceQuery query)
    {
        await using var db = _database.CreateDbContext();
        var page = await BounceExplorer.PageAsync(db, query, null, 100, Ct);
        return page.Rows.Select(r => r.Recipient).ToList();
    }

    private static BounceQuery Parse(string queryString)
    {
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        var query = BounceQuery.Parse(n => values.TryGetValue(n, out var v) ? v.ToString() : null, out var errors);
        Assert.Empty(errors);
        return query;
    }

    [Fact]
    public async Task WithoutFilter_ListsBouncesAndLogRefusalsTogether_NewestFirst_NeverADelivery()
    {
        Assert.Equal(
            ["line1@outlook.com", "blocked1@hotmail.com", "nobody@gmail.com", "line2@yahoo.com", "slow@yahoo.com", "elsewhere@example.org", "old@hotmail.com"],
            await RecipientsAsync(new BounceQuery()));
        Assert.Equal("old@hotmail.com", (await RecipientsAsync(new BounceQuery { Sort = BounceSort.Oldest }))[0]);
    }

    [Theory]
    [InlineData("from=2026-11-27T12:00:00Z", "line1@outlook.com blocked1@hotmail.com nobody@gmail.com line2@yahoo.com")]
    [InlineData("from=2026-11-20T00:00:00Z&to=2026-11-27T12:00:00Z", "slow@yahoo.com elsewhere@example.org")]
    [InlineData("ip=203.0.113.7", "line1@outlook.com blocked1@hotmail.com nobody@gmail.com old@hotmail.com")]
    [InlineData("ip=198.51.100.0/24", "line2@yahoo.com slow@yahoo.com")]
    [InlineData("ip=203.0.113.99/16", "line1@outlook.com blocked1@hotmail.com nobody@gmail.com old@hotmail.com")]
    [InlineData("ip=192.0.2.1", "")]
    [InlineData("provider=Outlook.com", "line1@outlook.com blocked1@hotmail.com old@hotmail.com")]
    [InlineData("code=TSS04", "line2@yahoo.com slow@yahoo.com")]
    [InlineData("reason=userunknown", "nobody@gmail.com")]
    [InlineData("kind=Delay", "line2@yahoo.com slow@yahoo.com")]
    [InlineData("kind=Bounce&source=LogLine", "line1@outlook.com")]
    [InlineData("source=Bounce&code=S3150", "blocked1@hotmail.com old@hotmail.com")]
    [InlineData("rcptDomain=hotmail.com", "blocked1@hotmail.com old@hotmail.com")]
    [InlineData("rcptDomain=outlook.com", "line1@outlook.com")]
    [InlineData("senderDomain=news.example.com", "blocked1@hotmail.com")]
    [InlineData("q=DOES NOT EXIST", "nobody@gmail.com")]
    [InlineData("q=weren't sent", "line1@outlook.com blocked1@hotmail.com")]
    [InlineData("q=100%25_", "old@hotmail.com")]
    [InlineData("q=0%25", "old@hotmail.com")]
    [InlineData("q=%25%25", "")]
    [InlineData("q=_", "old@hotmail.com")]
    [InlineData("ip=203.0.113.7&code=S3150&from=2026-11-27T00:00:00Z", "line1@outlook.com blocked1@hotmail.com")]
    public async Task EachFilter_KeepsOnlyTheRowsItNames(string queryString, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), await RecipientsAsync(Parse(queryString)));
    }

    [Fact]
    public async Task BatchFilter_KeepsTheRowsOfOneUpload()
    {
        Assert.Equal(["elsewhere@example.org"], await RecipientsAsync(new BounceQuery { Batch = _otherBatch }));
        Assert.Equal(7 - 1, (await RecipientsAsync(new BounceQuery { Batch = _seed.BatchId })).Count);
    }

    [Theory]
    [InlineData("ip", "ip=mx-out-1")]
    [InlineData("ip", "ip=203.0.113.7/33")]
    [InlineData("reason", "reason=blockd")]
    [InlineData("kind", "kind=Bouncy")]
    [InlineData("kind", "kind=3")]
    [InlineData("from", "from=yesterday")]
    [InlineData("to", "from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z")]
    [InlineData("batch", "batch=-1")]
    [InlineData("sort", "sort=random")]
    public void BadValues_AreNamed_NotGuessed(string name, string queryString)
    {
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        BounceQuery.Parse(n => values.TryGetValue(n, out var v) ? v.ToString() : null, out var errors);
        Assert.Equal([name], errors.Keys);
    }

    [Fact]
    public async Task Facets_CountTheCurrentFilter_ByReasonProviderAndCode()
    {
        await using var db = _database.CreateDbContext();
        var facets = await BounceExplorer.FacetsAsync(db, new BounceQuery { Ip = "203.0.113.7" }, Ct);
        Assert.NotNull(facets);
        Assert.Equal(4, facets.Total);
        Assert.Equal([("blocked", 3L), ("userunknown", 1L)], facets.Reasons);
        Assert.Equal([("outlook.com", 3L), ("gmail.com", 1L)], facets.Providers);
        Assert.Equal([("S3150", 3L)], facets.Codes);

        var all = await BounceExplorer.FacetsAsync(db, new BounceQuery(), Ct);
        Assert.Equal(7, all!.Total);
        Assert.Equal(("TSS04", 2L), all.Codes[1]);
    }

    [Theory]
    [InlineData(BounceSort.Newest)]
    [InlineData(BounceSort.Oldest)]
    public async Task CursorPaging_IsStableUnderInserts_AndTiesAcrossSources(BounceSort sort)
    {
        // 30 rows in ten instants, a bounce and two log lines at each: ties on time are broken by source, then id.
        var rows = new List<object>();
        for (var i = 0; i < 10; i++)
        {
            var at = Now.AddDays(-20).AddMinutes(i);
            rows.Add(_seed.NewBounce(null, $"page-b{i}@example.com", at, code: "PAGE"));
            rows.Add(_seed.NewLogLine(null, $"page-l{i}@example.com", at, DeliveryStatus.Bounced, code: "PAGE"));
            rows.Add(_seed.NewLogLine(null, $"page-m{i}@example.com", at, DeliveryStatus.Deferred, code: "PAGE"));
        }

        await _seed.AddAsync([.. rows]);
        var query = new BounceQuery { Code = "PAGE", Sort = sort };
        var expected = await RecipientsAsync(query);
        Assert.Equal(30, expected.Count);

        var seen = new List<string>();
        BounceCursor? after = null;
        var pages = 0;
        do
        {
            await using var db = _database.CreateDbContext();
            var page = await BounceExplorer.PageAsync(db, query, after, 4, Ct);
            seen.AddRange(page.Rows.Select(r => r.Recipient));
            after = BounceCursor.TryParse(page.NextCursor);
            pages++;
            // Between pages: new rows before and after the ones listed so far, and at the very instant of the cursor.
            var tie = page.Rows.Count > 0 ? page.Rows[^1].OccurredAt : Now;
            await _seed.AddAsync(
                _seed.NewBounce(null, $"late-new{pages}@example.com", Now, code: "PAGE"),
                _seed.NewLogLine(null, $"late-old{pages}@example.com", Now.AddDays(-30), DeliveryStatus.Bounced, code: "PAGE"),
                _seed.NewBounce(null, $"tie{pages}@example.com", tie, code: "PAGE"));
        }
        while (after is not null && pages < 50);

        Assert.Null(after);
        // Rows added behind the cursor are never listed (a page never shifts); rows added ahead of it are.
        Assert.DoesNotContain(seen, r => r.StartsWith(sort == BounceSort.Newest ? "late-new" : "late-old", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.StartsWith(sort == BounceSort.Newest ? "late-old" : "late-new", StringComparison.Ordinal));
        var listed = seen.Where(r => r.StartsWith("page-", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public void Cursor_RoundTrips_AndRefusesTokensItDidNotWrite()
    {
        var cursor = new BounceCursor(new DateTimeOffset(2026, 11, 28, 11, 59, 58, TimeSpan.Zero).AddTicks(1230), EvidenceSource.LogLine, 42);
        Assert.Equal(cursor, BounceCursor.TryParse(cursor.ToToken()));
        Assert.Null(BounceCursor.TryParse("not a cursor"));
        Assert.Null(BounceCursor.TryParse(Convert.ToBase64String("1.7.3"u8.ToArray())));
    }
}
