using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Deliverability.Core.Api;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

public class IngestApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Uri Messages = new("/api/v1/messages", UriKind.Relative);

    private async Task<(HttpClient Client, long KeyId)> ClientWithKeyAsync()
    {
        var created = await app.Factory.Services.GetRequiredService<ApiKeys>().CreateAsync("postfix on mx1", "admin@example.com", Ct);
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        return (client, created.Key.Id);
    }

    private static ByteArrayContent Raw(byte[] message)
    {
        var content = new ByteArrayContent(message);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return content;
    }

    private async Task<JsonElement> RunAndGetBatchAsync(HttpClient client, long batchId)
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        return await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/batches/{batchId}", UriKind.Relative), Ct);
    }

    [Fact]
    public async Task PostMessages_WithoutKey_Returns401()
    {
        using var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostMessages_WithUnknownOrRevokedKey_Returns401()
    {
        var (client, keyId) = await ClientWithKeyAsync();
        Assert.True(await app.Factory.Services.GetRequiredService<ApiKeys>().RevokeAsync(keyId, Ct));
        using var revoked = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dlv_not-a-real-key");
        using var unknown = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task PostMessages_WithKeyAndRawBody_AcceptsAndTheBatchReportsTheBounce()
    {
        var (client, _) = await ClientWithKeyAsync();
        using var response = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var batchId = accepted.GetProperty("batchId").GetInt64();
        Assert.Equal($"/api/v1/batches/{batchId}", response.Headers.Location!.OriginalString);

        var batch = await RunAndGetBatchAsync(client, batchId);

        Assert.Equal("Completed", batch.GetProperty("status").GetString());
        Assert.Equal(1, batch.GetProperty("bounces").GetInt32());
        Assert.Equal(1.0, batch.GetProperty("progress").GetDouble());
        client.Dispose();
    }

    [Fact]
    public async Task PostMessages_WithMultipartFiles_StoresEachFile()
    {
        var (client, _) = await ClientWithKeyAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Fixtures.Bounce("outlook-sc001")), "files", "sc001.eml" },
            { new ByteArrayContent(Fixtures.Mbox("gmail-5.7.26", "yahoo-tss04")), "files", "more.mbox" },
        };

        using var response = await client.PostAsync(Messages, form, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, accepted.GetProperty("files").GetInt32());

        var batch = await RunAndGetBatchAsync(client, accepted.GetProperty("batchId").GetInt64());
        Assert.Equal(3, batch.GetProperty("bounces").GetInt32());
        Assert.Equal(["sc001.eml", "more.mbox"], batch.GetProperty("fileStatuses").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray());
        client.Dispose();
    }

    [Fact]
    public async Task PostMessages_WithUntrackedIpOrEmptyBody_SaysWhatIsWrong()
    {
        var (client, _) = await ClientWithKeyAsync();
        using var untracked = await client.PostAsync(new Uri("/api/v1/messages?ip=192.0.2.200", UriKind.Relative), Raw(Fixtures.Bounce("outlook-s3150")), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, untracked.StatusCode);
        Assert.Contains("not a tracked sending IP", await untracked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var empty = await client.PostAsync(Messages, Raw([]), Ct);
        var batch = await RunAndGetBatchAsync(client, (await empty.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("batchId").GetInt64());
        Assert.Contains("empty file", batch.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task PostMessages_AsSignedInViewer_IsForbidden()
    {
        await app.Factory.AddUserAsync("viewer-api@example.com", Roles.Viewer);
        using var client = await SignedInClient.CreateAsync(app.Factory, "viewer-api@example.com");
        using var response = await client.PostAsync(Messages, Raw(Fixtures.Bounce("outlook-s3150")), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_WhenSignedIn_DescribesTheIngestionApi()
    {
        var (client, _) = await ClientWithKeyAsync();
        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        Assert.Contains("/api/v1/messages", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/batches/{id}", document, StringComparison.Ordinal);
        client.Dispose();
    }
}
