using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Remediation;

/// <summary>The IP page's header read model: the codes table follows each diagnosis, and before the first one every view reads it.</summary>
public class IpOverviewTests(DiagnosisDatabase fixture) : IClassFixture<DiagnosisDatabase>, IDbContextFactory<DeliverabilityDbContext>
{
    private static readonly DateTimeOffset Now = DiagnosisSeed.Now;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public DeliverabilityDbContext CreateDbContext() => fixture.Database.CreateDbContext();

    private IpOverview Overview(IMemoryCache cache) => new(this, new IpCodeTable(cache), new FakeTimeProvider(Now));

    [Fact]
    public async Task TheCodesTable_IsReadOncePerDiagnosis_AndANewDiagnosisShowsTheNewBounces()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var ip = await DiagnosisSeed.CreateAsync(CreateDbContext, fixture.NextAddress());
        await ip.BouncesAsync(3, Now.AddHours(-5), "outlook.com", "S3150");
        await ip.RunAsync(Now.AddHours(-1));

        var first = (await Overview(cache).LoadAsync(ip.SendingIpId, Ct))!;
        Assert.Equal(Now.AddHours(-1), first.Status.ComputedAt);
        var code = Assert.Single(first.Codes);
        Assert.Equal(("outlook.com", "S3150", 3), (code.Provider, code.Code, code.Count));
        Assert.NotNull(code.Known);

        // More bounces, no diagnosis yet: the table still speaks of the evidence the verdict above it was made from.
        await ip.BouncesAsync(2, Now.AddMinutes(-30), "outlook.com", "S3150");
        Assert.Equal(3, Assert.Single((await Overview(cache).LoadAsync(ip.SendingIpId, Ct))!.Codes).Count);

        await ip.RunAsync(Now);
        Assert.Equal(5, Assert.Single((await Overview(cache).LoadAsync(ip.SendingIpId, Ct))!.Codes).Count);
    }

    [Fact]
    public async Task BeforeTheFirstDiagnosis_EveryViewReadsTheCodes_AndTheVerdictSaysWhoRefused()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var ip = await DiagnosisSeed.CreateAsync(CreateDbContext, fixture.NextAddress());
        var empty = (await Overview(cache).LoadAsync(ip.SendingIpId, Ct))!;
        Assert.Empty(empty.Codes);
        Assert.Equal(IpHealth.NoData, empty.Status.Health);
        Assert.StartsWith("No provider has refused this IP", empty.Status.Verdict);

        await ip.BouncesAsync(1, Now.AddHours(-2), "outlook.com", "S3150");
        var refused = (await Overview(cache).LoadAsync(ip.SendingIpId, Ct))!;
        Assert.Single(refused.Codes);
        Assert.StartsWith("Refused by ", refused.Status.Verdict);
        Assert.Contains("(S3150)", refused.Status.Verdict);
    }

    [Fact]
    public async Task AnIpThatDoesNotExist_HasNoOverview()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions());
        Assert.Null(await Overview(cache).LoadAsync(long.MaxValue, Ct));
    }
}
