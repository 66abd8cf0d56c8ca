using System.Text.Json;
using System.Text.Json.Nodes;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Web.Features.Ips;

/// <summary>The results of an IP's latest completed check run, as the IP page's sections show them.</summary>
public static class LatestCheckRun
{
    public static async Task<(DateTimeOffset? FinishedAt, List<StoredCheckResult> Results)> LoadAsync(DeliverabilityDbContext db, long sendingIpId, CancellationToken ct)
    {
        var run = await db.CheckRuns.AsNoTracking()
            .Where(r => r.SendingIpId == sendingIpId && r.FinishedAt != null && r.Status == CheckRunStatus.Completed)
            .OrderByDescending(r => r.FinishedAt).Select(r => new { r.Id, r.FinishedAt }).FirstOrDefaultAsync(ct);
        if (run is null)
        {
            return (null, []);
        }

        return (run.FinishedAt, await db.CheckResults.AsNoTracking().Where(r => r.RunId == run.Id).ToListAsync(ct));
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
