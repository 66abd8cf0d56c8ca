using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Options;

namespace Deliverability.DnsTests;

/// <summary>Where the fixture name server is (env DELIVERABILITY_TEST_DNS, host:port, default 127.0.0.1:55353) and resolvers pointed at it.</summary>
public static class TestDns
{
    public static string Server =>
        Environment.GetEnvironmentVariable("DELIVERABILITY_TEST_DNS") is { Length: > 0 } value ? value : "127.0.0.1:55353";

    public static DnsOptions Options(Action<DnsOptions>? configure = null, string? server = null)
    {
        var options = new DnsOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };
        options.NameServers.Add(server ?? Server);
        configure?.Invoke(options);
        return options;
    }

    public static DnsClientResolver Resolver(Action<DnsOptions>? configure = null, string? server = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(configure, server)), TimeProvider.System);

    public static IOptions<ChecksOptions> ChecksOptions(Action<ChecksOptions>? configure = null)
    {
        // The resolver probe asks fixture names: deliverability.test exists, nothing is under nxdomain-probe.
        var options = new ChecksOptions { ZoneSuffix = "dnsbl.test", ResolverMustExist = "deliverability.test", ResolverMustNotExist = "nxdomain-probe.deliverability.test" };
        configure?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static IPAddress Ip(string text) => IPAddress.Parse(text);
}
