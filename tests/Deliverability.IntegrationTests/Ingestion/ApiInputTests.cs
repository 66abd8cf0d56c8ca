using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Deliverability.Core.Api;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>No input makes the ingestion and list APIs fail with a 500; their errors are RFC 9457 problem details.</summary>
public class ApiInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> ApiClientAsync()
    {
        var created = await app.Factory.Services.GetRequiredService<ApiKeys>().CreateAsync("input tests", "admin@example.com", Ct);
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        return client;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":" + (int)expected, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search=%00")]
    [InlineData("search=a%00b")]
    [InlineData("page=99999999&pageSize=500")]
    [InlineData("page=-1")]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=100000")]
    public async Task SendingIps_WithAnInvalidQuery_AnswersAProblemNot500(string query)
    {
        using var client = await ApiClientAsync();

        using var response = await client.GetAsync(new Uri("/api/v1/sending-ips?" + query, UriKind.Relative), Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SendingIps_OnALastPageBeyondTheData_AnswersAnEmptyPage()
    {
        using var client = await ApiClientAsync();

        using var response = await client.GetAsync(new Uri("/api/v1/sending-ips?page=4000000&pageSize=500", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"items\":[]", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownApiRoute_AnswersAProblem()
    {
        using var client = await ApiClientAsync();

        using var response = await client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative), Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PostMessages_WithANulInTheFileName_StoresTheFile()
    {
        using var client = await ApiClientAsync();
        // Written by hand: HttpClient refuses to send such a header, a hostile client does not.
        var body = Encoding.UTF8.GetBytes("--nul\r\nContent-Disposition: form-data; name=\"files\"; filename=\"bounce\0.eml\"\r\n\r\n")
            .Concat(Fixtures.Bounce("exim-mailboxfull")).Concat(Encoding.ASCII.GetBytes("\r\n--nul--\r\n")).ToArray();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=nul");

        using var response = await client.PostAsync(new Uri("/api/v1/messages", UriKind.Relative), content, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = app.Factory.Database.CreateDbContext();
        Assert.True(await db.IngestFiles.AnyAsync(f => f.Name == "bounce\uFFFD.eml", Ct));
    }

    [Fact]
    public async Task PostMessages_WhenTheUploadIsCutOff_AnswersAProblemAndLeavesNoBatchPending()
    {
        using var client = await ApiClientAsync();
        // A multipart body that stops in the middle of its first file (the client went away).
        var body = "--cut\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.eml\"\r\nContent-Type: message/rfc822\r\n\r\nFrom: x\r\nSubject: half";
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=cut");

        using var response = await client.PostAsync(new Uri("/api/v1/messages", UriKind.Relative), content, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        await using var db = app.Factory.Database.CreateDbContext();
        Assert.False(await db.IngestBatches.AnyAsync(b => b.Status == IngestStatus.Pending && b.SubmittedAt == null, Ct));
        var batch = await db.IngestBatches.OrderBy(b => b.Id).LastAsync(Ct);
        Assert.Equal(IngestStatus.Failed, batch.Status);
        Assert.Contains("cut off", batch.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangfireStats_ReadWithGet_AnswersMethodNotAllowed()
    {
        await app.Factory.AddUserAsync("stats-admin@example.com", Roles.Admin);
        using var client = await SignedInClient.CreateAsync(app.Factory, "stats-admin@example.com");

        using var response = await client.GetAsync(new Uri("/hangfire/stats", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
