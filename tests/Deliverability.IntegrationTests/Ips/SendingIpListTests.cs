using System.Net;
using Deliverability.Core.Ips;
using Deliverability.Testing;

namespace Deliverability.IntegrationTests.Ips;

/// <summary>The Sending IPs table's paging, sorting and search, done by PostgreSQL.</summary>
public sealed class SendingIpListTests : IAsyncLifetime
{
    private TestDatabase _database = default!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var db = _database.CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        SendingIp Ip(string address, string? label) => new() { Address = IPAddress.Parse(address), Label = label, CreatedAt = now };
        var blocked = Ip("203.0.113.7", "mx-out-1");
        var listed = Ip("203.0.113.200", "newsletter");
        var healthy = Ip("198.51.100.5", "billing");
        var fresh = Ip("2001:db8::25", null);
        db.SendingIps.AddRange(blocked, listed, healthy, fresh);
        await db.SaveChangesAsync();
        db.IpStatus.AddRange(
            new IpStatusSnapshot { SendingIpId = blocked.Id, Health = IpHealth.Blocked, BlockedBy = "outlook.com", BlockCode = "S3150", Verdict = "Blocked", Bounces7d = 40, Bounces24h = 12, ComputedAt = now },
            new IpStatusSnapshot { SendingIpId = listed.Id, Health = IpHealth.Listed, ListedOn = 2, Verdict = "Listed", Bounces7d = 90, ComputedAt = now },
            new IpStatusSnapshot { SendingIpId = healthy.Id, Health = IpHealth.Healthy, Verdict = "Healthy", Bounces7d = 3, SenderScore = 97, ComputedAt = now });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<string>> AddressesAsync(SendingIpListQuery query)
    {
        var (rows, _) = await new SendingIpList(_database).LoadAsync(query, TestContext.Current.CancellationToken);
        return rows.Select(r => r.Address.ToString()).ToList();
    }

    [Fact]
    public async Task ByDefault_TheWorstIpsComeFirst_AndIpsWithoutStatusShowNoData()
    {
        Assert.Equal(["203.0.113.7", "203.0.113.200", "198.51.100.5", "2001:db8::25"], await AddressesAsync(new(0, 25, null, false, null, null)));
        var (rows, total) = await new SendingIpList(_database).LoadAsync(new(0, 25, null, false, null, null), TestContext.Current.CancellationToken);
        Assert.Equal(4, total);
        Assert.Equal(IpHealth.NoData, rows[^1].Health);
    }

    [Fact]
    public async Task SortsByBouncesInSevenDays_AndPages()
    {
        Assert.Equal(["203.0.113.200", "203.0.113.7"], await AddressesAsync(new(0, 2, nameof(SendingIpListRow.Bounces7d), true, null, null)));
        Assert.Equal(["198.51.100.5", "2001:db8::25"], await AddressesAsync(new(1, 2, nameof(SendingIpListRow.Bounces7d), true, null, null)));
    }

    [Theory]
    [InlineData("203.0.113.0/24", new[] { "203.0.113.7", "203.0.113.200" })]
    [InlineData("203.0.113.128/25", new[] { "203.0.113.200" })]
    [InlineData("2001:db8::/32", new[] { "2001:db8::25" })]
    [InlineData("198.51.100.5", new[] { "198.51.100.5" })]
    [InlineData("NEWS", new[] { "203.0.113.200" })]
    [InlineData("113.20", new[] { "203.0.113.200" })]
    [InlineData("100%", new string[0])]
    public async Task SearchFindsByCidrAddressOrLabel(string search, string[] expected)
    {
        var found = await AddressesAsync(new(0, 25, nameof(SendingIpListRow.Address), false, search, null));
        Assert.Equal(expected.Order(), found.Order());
    }

    [Fact]
    public async Task FiltersByStatus_AndCountsEachStatus()
    {
        Assert.Equal(["203.0.113.200"], await AddressesAsync(new(0, 25, null, false, null, IpHealth.Listed)));
        var counts = await new SendingIpList(_database).CountByHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, counts[IpHealth.Blocked]);
        Assert.Equal(1, counts[IpHealth.NoData]);
    }
}
