using Deliverability.Core.Evidence;

namespace Deliverability.Web.Features.Bounces;

/// <summary>Links into the explorer, pre-filtered, for the pages that show a count of bounces.</summary>
public static class BounceLinks
{
    public static string To(BounceQuery query) => query.ToQueryString() is { Length: > 0 } q ? $"/bounces?{q}" : "/bounces";

    /// <summary>The rows behind a provider code of an IP (the IP page's codes table), since <paramref name="since"/>.</summary>
    public static string ForCode(string ip, string provider, string code, DateTimeOffset since) =>
        To(new BounceQuery { Ip = ip, Provider = provider, Code = code, From = since });

    public static string ForIp(string ip, DateTimeOffset since) => To(new BounceQuery { Ip = ip, From = since });

    public static string Since(DateTimeOffset since) => To(new BounceQuery { From = since });

    public static string ForBatch(long batchId) => To(new BounceQuery { Batch = batchId });
}
