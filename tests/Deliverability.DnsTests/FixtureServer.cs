using Deliverability.Core.Dns;

[assembly: AssemblyFixture(typeof(Deliverability.DnsTests.FixtureServer))]

namespace Deliverability.DnsTests;

/// <summary>
/// Probes the fixture name server once per run. Every test class asks it first, so with no server each test fails
/// at once with a message saying how to start NSD, instead of each timing out (and never skipping).
/// </summary>
public sealed class FixtureServer : IAsyncLifetime
{
    public string? Problem { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var resolver = TestDns.Resolver(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(1);
            o.Retries = 2;
        });
        var answer = await resolver.QueryAsync("deliverability.test", DnsRecordKind.Mx, CancellationToken.None);
        if (answer.Outcome != DnsOutcome.Found)
        {
            Problem = $"The fixture DNS server at {TestDns.Server} did not answer deliverability.test MX ({answer.Describe()}). " +
                "Start it with `DELIVERABILITY_DNS_PORT=<port> scripts/dns-up.sh` and set DELIVERABILITY_TEST_DNS=127.0.0.1:<port>.";
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Throws (failing the test) when the server was not reachable.</summary>
    public void Require()
    {
        if (Problem is not null) throw new InvalidOperationException(Problem);
    }
}
