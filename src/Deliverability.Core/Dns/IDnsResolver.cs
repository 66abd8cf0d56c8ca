using System.Net;

namespace Deliverability.Core.Dns;

/// <summary>The DNS seam: every check asks through this, so unit tests can answer from memory.</summary>
public interface IDnsResolver
{
    /// <summary>Asks one question. Never throws for DNS or network failures: they come back as <see cref="DnsOutcome.Failed"/>.</summary>
    Task<DnsAnswer> QueryAsync(DnsQuestion question, CancellationToken cancellationToken);
}

public static class DnsResolverExtensions
{
    public static Task<DnsAnswer> QueryAsync(this IDnsResolver resolver, string name, DnsRecordKind kind, CancellationToken cancellationToken) =>
        resolver.QueryAsync(new DnsQuestion(name, kind), cancellationToken);

    /// <summary>PTR lookup of an address (in-addr.arpa or ip6.arpa name).</summary>
    public static Task<DnsAnswer> QueryPtrAsync(this IDnsResolver resolver, IPAddress address, CancellationToken cancellationToken) =>
        resolver.QueryAsync(new DnsQuestion(ReverseName.ForPtr(address), DnsRecordKind.Ptr), cancellationToken);

    /// <summary>A or AAAA lookup, whichever matches the family of <paramref name="family"/>.</summary>
    public static Task<DnsAnswer> QueryAddressesAsync(this IDnsResolver resolver, string name, IPAddress family, CancellationToken cancellationToken) =>
        resolver.QueryAsync(new DnsQuestion(name, family.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordKind.Aaaa : DnsRecordKind.A), cancellationToken);
}
