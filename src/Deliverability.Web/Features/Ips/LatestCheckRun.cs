using System.Text.Json;
using System.Text.Json.Nodes;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;

namespace Deliverability.Web.Features.Ips;

/// <summary>An IP's latest completed check run: when it finished (null: never) and its results.</summary>
public sealed record LatestChecks(DateTimeOffset? FinishedAt, IReadOnlyList<StoredCheckResult> Results)
{
    public static readonly LatestChecks None = new(null, []);
}

/// <summary>The results of an IP's latest completed check run, as the IP page's sections show them.</summary>
public static class LatestCheckRun
{
    /// <summary>Read once by the IP page and handed to the sections that show it (reputation, authentication).</summary>
    public static async Task<LatestChecks> LoadAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var (finishedAt, results) = await LatestCheckResults.ReadAsync(db, sendingIpId, ct);
        return new LatestChecks(finishedAt, results);
    }

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
