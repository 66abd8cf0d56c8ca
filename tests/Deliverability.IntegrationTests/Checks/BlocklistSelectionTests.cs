using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Storage;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Checks;

/// <summary>Turning a list on or off on the check settings page: stored as an override, forgotten when it matches configuration.</summary>
public sealed class BlocklistSelectionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = default!;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task SetEnabled_OffThenBackOn_StoresTheOverrideThenForgetsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var zone = BlocklistCatalogue.All.First(z => z.EnabledByDefault);
        await using var db = _database.CreateDbContext();

        await BlocklistSelection.SetEnabledAsync(db, new BlocklistChoice(zone, Enabled: true, EnabledByConfiguration: true, Overridden: false), on: false, Now, ct);
        var stored = await db.BlocklistSettings.AsNoTracking().SingleAsync(ct);
        Assert.Equal((zone.Zone, false, Now), (stored.Zone, stored.Enabled, stored.UpdatedAt));

        await BlocklistSelection.SetEnabledAsync(db, new BlocklistChoice(zone, Enabled: false, EnabledByConfiguration: true, Overridden: true), on: true, Now.AddMinutes(5), ct);
        Assert.False(await db.BlocklistSettings.AnyAsync(ct));
    }
}
