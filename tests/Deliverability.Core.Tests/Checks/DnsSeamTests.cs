using System.Net;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.Core.Tests.Checks;

/// <summary>The pure parts of the DNS seam: reverse names, the TTL cache, the per-zone throttle and name-server parsing.</summary>
public class DnsSeamTests
{
    [Theory]
    [InlineData("192.0.2.10", "10.2.0.192", "10.2.0.192.in-addr.arpa")]
    [InlineData("::ffff:192.0.2.10", "10.2.0.192", "10.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::cb01", "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2", "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void ReverseName_WhenAddress_ReversesOctetsOrNibbles(string ip, string labels, string ptr)
    {
        Assert.Equal(labels, ReverseName.Labels(IPAddress.Parse(ip)));
        Assert.Equal(ptr, ReverseName.ForPtr(IPAddress.Parse(ip)));
    }

    [Fact]
    public void Cache_WhenTtlPasses_ForgetsAnswer()
    {
        var time = new FakeTimeProvider();
        var cache = new DnsAnswerCache(time, 100, 3600);
        cache.Store(DnsAnswer.Found("example.test", DnsRecordKind.A, ["192.0.2.1"], ttlSeconds: 30));
        Assert.True(cache.TryGet("EXAMPLE.test.", DnsRecordKind.A, out _));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(cache.TryGet("example.test", DnsRecordKind.A, out _));
    }

    [Fact]
    public void Cache_WhenTtlAboveCap_KeepsOnlyCap()
    {
        var time = new FakeTimeProvider();
        var cache = new DnsAnswerCache(time, 100, maxSeconds: 60);
        cache.Store(DnsAnswer.Found("example.test", DnsRecordKind.A, ["192.0.2.1"], ttlSeconds: 86400));
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.False(cache.TryGet("example.test", DnsRecordKind.A, out _));
    }

    [Fact]
    public void Cache_WhenFailure_DoesNotStoreIt()
    {
        var cache = new DnsAnswerCache(new FakeTimeProvider(), 100, 3600);
        cache.Store(DnsAnswer.Failed("example.test", DnsRecordKind.A, "timeout"));
        Assert.False(cache.TryGet("example.test", DnsRecordKind.A, out _));
    }

    [Fact]
    public void Cache_WhenNegativeAnswer_StoresForItsTtl()
    {
        var cache = new DnsAnswerCache(new FakeTimeProvider(), 100, 3600);
        cache.Store(DnsAnswer.NxDomain("nope.example.test", DnsRecordKind.A, 60));
        Assert.True(cache.TryGet("nope.example.test", DnsRecordKind.A, out var answer));
        Assert.Equal(DnsOutcome.NxDomain, answer.Outcome);
    }

    [Fact]
    public async Task Throttle_WhenZoneFull_WaitsForRelease()
    {
        var throttle = new ZoneThrottle(maxConcurrent: 1, maxPerSecond: 0, TimeProvider.System);
        var first = await throttle.EnterAsync("zone.test", rateLimited: false, TestContext.Current.CancellationToken);
        var second = throttle.EnterAsync("zone.test", rateLimited: false, TestContext.Current.CancellationToken);
        var other = await throttle.EnterAsync("other.test", rateLimited: false, TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second).Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task Throttle_WhenRateLimited_SpacesQueryStarts()
    {
        var time = new FakeTimeProvider();
        var throttle = new ZoneThrottle(maxConcurrent: 10, maxPerSecond: 2, time);
        var ct = TestContext.Current.CancellationToken;
        (await throttle.EnterAsync("bl.test", true, ct)).Dispose();
        var second = throttle.EnterAsync("bl.test", true, ct);
        var unlimited = throttle.EnterAsync("bl.test", false, ct);
        Assert.False(second.IsCompleted);
        Assert.True(unlimited.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        (await second).Dispose();
        (await unlimited).Dispose();
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("10.2.0.192.in-addr.arpa", "2.0.192.in-addr.arpa")]
    public void ZoneOf_WhenNoZoneGiven_DerivesOne(string name, string zone) => Assert.Equal(zone, ZoneThrottle.ZoneOf(name));

    [Theory]
    [InlineData("127.0.0.1:55353", "127.0.0.1", 55353)]
    [InlineData("192.0.2.53", "192.0.2.53", 53)]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData("localhost:5300", null, 5300)]
    public void ParseNameServer_WhenHostPort_ParsesIt(string text, string? address, int port)
    {
        var server = DnsClientResolver.ParseNameServer(text);
        Assert.Equal(port, server.Port);
        if (address is not null) Assert.Equal(IPAddress.Parse(address).ToString(), server.Address);
    }
}
