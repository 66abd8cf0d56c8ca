using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Dns;

/// <summary>
/// <see cref="IDnsResolver"/> over DnsClient: configured name servers, timeout, retries, TCP fallback,
/// a TTL-respecting cache and per-zone concurrency/rate limits. DnsClient's own cache is off; ours is measured with
/// <see cref="TimeProvider"/> and never keeps failures.
/// </summary>
public sealed class DnsClientResolver : IDnsResolver, IDisposable
{
    private readonly LookupClient _client;
    private readonly DnsAnswerCache? _cache;
    private readonly ZoneThrottle _throttle;
    private readonly SemaphoreSlim _inFlight;
    private readonly DnsOptions _options;

    public DnsClientResolver(IOptions<DnsOptions> options, TimeProvider time)
    {
        _options = options.Value;
        var servers = _options.NameServers.Where(s => !string.IsNullOrWhiteSpace(s)).Select(ParseNameServer).ToArray();
        var clientOptions = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        clientOptions.UseCache = false;
        clientOptions.Timeout = _options.Timeout;
        clientOptions.Retries = _options.Retries;
        clientOptions.UseTcpFallback = _options.UseTcpFallback;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.ContinueOnDnsError = true;
        clientOptions.ContinueOnEmptyResponse = false;
        _client = new LookupClient(clientOptions);
        _cache = _options.UseCache ? new DnsAnswerCache(time, _options.MaxCacheEntries, _options.MaxCacheSeconds) : null;
        _inFlight = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentQueries));
        _throttle = new ZoneThrottle(_options.MaxConcurrentQueriesPerZone, _options.MaxQueriesPerSecondPerZone, time);
    }

    public async Task<DnsAnswer> QueryAsync(DnsQuestion question, CancellationToken cancellationToken)
    {
        var name = question.Name.TrimEnd('.');
        if (_cache is not null && _cache.TryGet(name, question.Kind, out var cached)) return cached;

        var zone = question.Zone ?? ZoneThrottle.ZoneOf(name);
        DnsAnswer answer;
        using (await _throttle.EnterAsync(zone, rateLimited: question.Zone is not null, cancellationToken))
        {
            await _inFlight.WaitAsync(cancellationToken);
            try
            {
                answer = await AskAsync(name, question.Kind, cancellationToken);
            }
            finally
            {
                _inFlight.Release();
            }
        }

        _cache?.Store(answer);
        return answer;
    }

    public void Dispose() => _inFlight.Dispose();

    /// <summary>Parses "host", "host:port", "1.2.3.4:53" or "[::1]:53". Host names are resolved with the system resolver once.</summary>
    public static NameServer ParseNameServer(string value)
    {
        value = value.Trim();
        if (IPEndPoint.TryParse(value, out var endPoint))
        {
            return new NameServer(endPoint.Address, endPoint.Port == 0 ? 53 : endPoint.Port);
        }

        var colon = value.LastIndexOf(':');
        var host = colon > 0 ? value[..colon] : value;
        var port = colon > 0 ? int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture) : 53;
        var address = System.Net.Dns.GetHostAddresses(host).FirstOrDefault()
            ?? throw new ArgumentException($"Name server '{value}' does not resolve.", nameof(value));
        return new NameServer(address, port);
    }

    private async Task<DnsAnswer> AskAsync(string name, DnsRecordKind kind, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, ToQueryType(kind), QueryClass.IN, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DnsResponseException ex)
        {
            return DnsAnswer.Failed(name, kind, ex.Code == DnsResponseCode.ConnectionTimeout ? $"timeout after {_options.Timeout.TotalSeconds:0.##} s" : ex.Message);
        }
        catch (Exception ex)
        {
            return DnsAnswer.Failed(name, kind, ex.Message);
        }

        var code = response.Header.ResponseCode;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
        {
            return DnsAnswer.NxDomain(name, kind, NegativeTtl(response));
        }

        if (code != DnsHeaderResponseCode.NoError)
        {
            return DnsAnswer.Failed(name, kind, string.IsNullOrEmpty(response.ErrorMessage) ? code.ToString() : response.ErrorMessage);
        }

        var records = Extract(response, kind, out var ttl);
        return records.Count == 0
            ? DnsAnswer.NoData(name, kind, NegativeTtl(response))
            : DnsAnswer.Found(name, kind, records, ttl);
    }

    private static List<string> Extract(IDnsQueryResponse response, DnsRecordKind kind, out int ttl)
    {
        var answers = response.Answers;
        List<(string Value, int Ttl)> found = kind switch
        {
            DnsRecordKind.A => answers.ARecords().Select(r => (r.Address.ToString(), r.InitialTimeToLive)).ToList(),
            DnsRecordKind.Aaaa => answers.AaaaRecords().Select(r => (r.Address.ToString(), r.InitialTimeToLive)).ToList(),
            DnsRecordKind.Mx => answers.MxRecords().OrderBy(r => r.Preference)
                .Select(r => (r.Exchange.Value.TrimEnd('.'), r.InitialTimeToLive)).ToList(),
            DnsRecordKind.Ptr => answers.PtrRecords().Select(r => (r.PtrDomainName.Value.TrimEnd('.'), r.InitialTimeToLive)).ToList(),
            DnsRecordKind.Txt => answers.TxtRecords().Select(r => (string.Concat(r.Text), r.InitialTimeToLive)).ToList(),
            _ => [],
        };
        ttl = found.Count == 0 ? 0 : found.Min(f => f.Ttl);
        return found.Select(f => f.Value).ToList();
    }

    private int NegativeTtl(IDnsQueryResponse response)
    {
        var soa = response.Authorities.OfType<SoaRecord>().FirstOrDefault();
        return soa is null ? _options.NegativeCacheSeconds : (int)Math.Min(soa.Minimum, (uint)soa.InitialTimeToLive);
    }

    private static QueryType ToQueryType(DnsRecordKind kind) => kind switch
    {
        DnsRecordKind.A => QueryType.A,
        DnsRecordKind.Aaaa => QueryType.AAAA,
        DnsRecordKind.Mx => QueryType.MX,
        DnsRecordKind.Txt => QueryType.TXT,
        DnsRecordKind.Ptr => QueryType.PTR,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
