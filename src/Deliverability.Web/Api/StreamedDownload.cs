using Microsoft.AspNetCore.Http.Features;

namespace Deliverability.Web.Api;

/// <summary>A file download written as its rows are read (the explorer's and the IP list's exports, the suppression list).</summary>
public static class StreamedDownload
{
    /// <summary>
    /// Starts the download at once (no Content-Length: the browser shows its own progress in bytes) and writes as rows come.
    /// A failure after the first bytes cannot change the status any more: the connection is aborted, so the client sees a
    /// failed download instead of a file that silently ends early.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, string fileName, string contentType, Func<Stream, Task<long>> write)
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            await http.Response.StartAsync(http.RequestAborted);
            await write(http.Response.Body);
        }
        catch (Exception e) when (e is TimeoutException or Npgsql.NpgsqlException or IOException or OperationCanceledException)
        {
            http.Abort();
        }
    }
}
