using Deliverability.Testing;

namespace Deliverability.IntegrationTests;

/// <summary>One migrated database and one app per test class.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public DeliverabilityAppFactory Factory { get; private set; } = default!;

    public async ValueTask InitializeAsync() => Factory = new DeliverabilityAppFactory(await TestDatabase.CreateAsync());

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
    }
}
