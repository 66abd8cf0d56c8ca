using System.Text.Json.Nodes;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Web.Features.Checks;

public static class ChecksEndpoints
{
    /// <summary>POST /api/v1/sending-ips/{id}/check (Operator) queues a check; GET .../checks returns the latest results and changes.</summary>
    public static IEndpointRouteBuilder MapChecksEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/sending-ips/{id:long}");
        api.MapPost("/check", async (long id, DeliverabilityDbContext db, CheckNowRequests checks, CancellationToken ct) =>
        {
            if (!await db.SendingIps.AnyAsync(x => x.Id == id, ct)) return Results.NotFound();
            var jobId = checks.Request(id);
            return Results.Json(new { job_id = jobId, sending_ip_id = id }, statusCode: StatusCodes.Status202Accepted);
        }).RequireAuthorization(AuthSetup.OperatorPolicy);

        api.MapGet("/checks", async (long id, DeliverabilityDbContext db, int? changes, CancellationToken ct) =>
        {
            var ip = await db.SendingIps.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Id, x.Address }).SingleOrDefaultAsync(ct);
            if (ip is null) return Results.NotFound();
            var (_, latest) = await LatestCheckResults.ReadAsync(db, id, ct);
            var recent = await db.CheckChanges.AsNoTracking().Where(c => c.SendingIpId == id)
                .OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Take(Math.Clamp(changes ?? 50, 1, 500))
                .Select(c => new { c.Check, c.Target, c.FromStatus, c.ToStatus, c.At, c.RunId, c.Summary }).ToListAsync(ct);
            var lastRun = await db.CheckRuns.AsNoTracking().Where(r => r.SendingIpId == id).OrderByDescending(r => r.Id)
                .Select(r => new { r.Id, r.StartedAt, r.FinishedAt, r.Trigger, r.Status, r.PassCount, r.WarnCount, r.FailCount, r.UnknownCount, r.Error })
                .FirstOrDefaultAsync(ct);
            return Results.Json(new
            {
                SendingIpId = ip.Id,
                Address = ip.Address.ToString(),
                LastRun = lastRun,
                Results = latest.Select(r => new
                {
                    r.Check,
                    r.Target,
                    r.Status,
                    r.Summary,
                    Details = JsonNode.Parse(r.Details),
                    r.Link,
                    r.CheckedAt,
                    r.RunId,
                }),
                Changes = recent,
            }, CheckJson.Options);
        });
        return endpoints;
    }
}
