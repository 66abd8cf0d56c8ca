using System.Globalization;
using Deliverability.Core.Ingestion;
using Deliverability.Web.Auth;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Deliverability.Web.Ingestion;

public static class IngestEndpoints
{
    public static IServiceCollection AddDeliverabilityIngestion(this IServiceCollection services)
    {
        return services;
    }

    /// <summary>POST /api/v1/messages (raw RFC 5322 body, or multipart with several files) and GET /api/v1/batches/{id}.</summary>
    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags("Ingestion");

        api.MapPost("/messages", PostMessagesAsync)
            .RequireAuthorization(AuthSetup.OperatorPolicy)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitMetadata())
            .WithSummary("Upload bounces, complaint reports, MTA logs or SNDS exports")
            .WithDescription("Send one raw RFC 5322 message as the body, or multipart/form-data with one or more files (eml, mbox, zip, gz, logs, SNDS CSV). "
                             + "Optional query `ip`: the sending IP for bounces that name none. Returns the batch id; follow it at /api/v1/batches/{id}.")
            .Produces<BatchAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/batches/{id:long}", GetBatchAsync)
            .WithSummary("Status and counts of an ingest batch")
            .Produces<BatchStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }

    public sealed record BatchAccepted(long BatchId, string Status, string StatusUrl, int Files, IReadOnlyList<string> Refused);

    /// <summary>Lets an upload be as large as the configured file limit (times the number of files, for multipart).</summary>
    private sealed class RequestSizeLimitMetadata : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }

    private static async Task<IResult> PostMessagesAsync(HttpContext http, Ingest ingest, TimeProvider clock, string? ip, CancellationToken ct)
    {
        var defaultIp = await ingest.ChooseDefaultIpAsync(ip, ct);
        if (defaultIp.Error is { } ipError)
        {
            return Results.Problem(ipError, statusCode: StatusCodes.Status400BadRequest);
        }

        string? boundary = null;
        if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                return Results.Problem("multipart/form-data without a boundary.", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        await using var upload = await ingest.OpenAsync(http.User.Identity?.Name ?? "api", IngestSource.Api, defaultIp.SendingIpId, ct);
        try
        {
            if (boundary is not null)
            {
                var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null };
                var index = 0;
                while (await reader.ReadNextSectionAsync(ct) is { } section)
                {
                    var disposition = section.GetContentDispositionHeader();
                    var name = disposition?.FileName.Value ?? disposition?.FileNameStar.Value ?? $"part-{index}.eml";
                    index++;
                    await upload.AddAsync(name, section.Body, ct);
                }
            }
            else
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"api-{clock.GetUtcNow():yyyyMMdd-HHmmss}.eml");
                await upload.AddAsync(name, http.Request.Body, ct);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException or InvalidDataException)
        {
            // The client went away or sent a broken body: what arrived is read, and the batch never waits for the rest.
            await upload.AbandonAsync($"The upload was cut off before any file was stored ({e.GetType().Name}).");
            return Results.Problem($"The upload was cut off: {e.Message}", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["batch_id"] = upload.BatchId });
        }

        if (upload.Stored == 0 && upload.Refusals.Count == 0)
        {
            await upload.AbandonAsync("The request held no message.");
            return Results.Problem("The request holds no message: send a raw message as the body, or files as multipart/form-data.", statusCode: StatusCodes.Status400BadRequest);
        }

        await upload.SubmitAsync(ct);
        if (upload.Stored == 0)
        {
            return Results.Problem(string.Join(" ", upload.Refusals), statusCode: StatusCodes.Status413PayloadTooLarge, extensions: new Dictionary<string, object?> { ["batch_id"] = upload.BatchId });
        }

        return Results.Accepted($"/api/v1/batches/{upload.BatchId}", new BatchAccepted(upload.BatchId, "Pending", $"/api/v1/batches/{upload.BatchId}", upload.Stored, [.. upload.Refusals]));
    }

    private static async Task<IResult> GetBatchAsync(long id, BatchProgress progress, CancellationToken ct) =>
        await progress.StatusAsync(id, ct) is { } status ? Results.Ok(status) : Results.Problem($"No batch {id}.", statusCode: StatusCodes.Status404NotFound);
}
