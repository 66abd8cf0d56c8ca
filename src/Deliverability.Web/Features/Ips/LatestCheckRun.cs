using System.Text.Json;
using System.Text.Json.Nodes;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;

namespace Deliverability.Web.Features.Ips;

/// <summary>The results of an IP's latest completed check run, as the IP page's sections show them.</summary>
public static class LatestCheckRun
{
    public static Task<(DateTimeOffset? FinishedAt, List<StoredCheckResult> Results)> LoadAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct) =>
        LatestCheckResults.ReadAsync(db, sendingIpId, ct);

    /// <summary>Failing first, then warnings, unknowns and passes.</summary>
    public static int Rank(CheckStatus status) => status switch
    {
        CheckStatus.Fail => 0,
        CheckStatus.Warn => 1,
        CheckStatus.Unknown => 2,
        _ => 3,
    };

    /// <summary>A result's stored evidence, or null when it is not a JSON object.</summary>
    public static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
