using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.IntegrationTests.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Ips;

/// <summary>The operator adds and removes tracked IPs ("Add" and "Delete" on the IP list).</summary>
public sealed class SendingIpTrackingTests : IAsyncLifetime, IDbContextFactory<DeliverabilityDbContext>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = default!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    public DeliverabilityDbContext CreateDbContext() => _database.CreateDbContext();

    private SendingIpTracking Tracking => new(this, new FakeTimeProvider(Now));

    [Fact]
    public async Task Track_ANewAddress_StoresItWithItsLabelAndTheTime()
    {
        var result = await Tracking.TrackAsync(" [203.0.113.44] ", "  mx-44 ", Ct);

        Assert.Equal(TrackIpOutcome.Tracked, result.Outcome);
        await using var db = CreateDbContext();
        var stored = await db.SendingIps.SingleAsync(x => x.Id == result.Id, Ct);
        Assert.Equal(("203.0.113.44", "mx-44", Now), (stored.Address.ToString(), stored.Label, stored.CreatedAt));
    }

    [Fact]
    public async Task Track_AnAddressAlreadyTracked_SaysSoAndAddsNothing()
    {
        await Tracking.TrackAsync("198.51.100.7", null, Ct);

        var again = await Tracking.TrackAsync("198.51.100.7", "other", Ct);

        Assert.Equal((TrackIpOutcome.AlreadyTracked, "198.51.100.7 is already tracked."), (again.Outcome, again.Error));
        await using var db = CreateDbContext();
        Assert.Equal(1, await db.SendingIps.CountAsync(Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("203.0.113.0/24")]
    [InlineData("mail.example.com")]
    public async Task Track_SomethingThatIsNotOneAddress_IsRefusedWithTheReason(string text)
    {
        var result = await Tracking.TrackAsync(text, null, Ct);

        Assert.Equal(TrackIpOutcome.Invalid, result.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        await using var db = CreateDbContext();
        Assert.Equal(0, await db.SendingIps.CountAsync(Ct));
    }

    [Fact]
    public async Task StopTracking_DeletesTheIpAndItsDiagnosis_ButKeepsItsBouncesAsUnattributedEvidence()
    {
        var ip = await DiagnosisSeed.CreateAsync(CreateDbContext, "203.0.113.5");
        await ip.BouncesAsync(3, DiagnosisSeed.Now.AddHours(-2), "outlook.com", "S3150");
        await ip.RunAsync();

        Assert.True(await Tracking.StopTrackingAsync(ip.SendingIpId, Ct));

        await using var db = CreateDbContext();
        Assert.False(await db.SendingIps.AnyAsync(x => x.Id == ip.SendingIpId, Ct));
        Assert.False(await db.IpStatus.AnyAsync(Ct));
        Assert.False(await db.RemediationItems.AnyAsync(Ct));
        Assert.Equal(3, await db.Bounces.CountAsync(b => b.SendingIpId == null, Ct));
        Assert.False(await Tracking.StopTrackingAsync(ip.SendingIpId, Ct));
    }
}
