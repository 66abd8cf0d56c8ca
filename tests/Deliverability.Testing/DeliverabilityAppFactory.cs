using Deliverability.Core.Ingestion;
using Deliverability.Core.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deliverability.Testing;

/// <summary>The real web app on a test database. Hangfire's server is off unless a test turns it on; <paramref name="settings"/> adds configuration.</summary>
public sealed class DeliverabilityAppFactory(TestDatabase database, bool runJobServer = false, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string Password = "Correct-Horse-42";

    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(new ServerLog(Database.Name));
            logging.AddFilter<ServerLog>(null, LogLevel.Warning);
            logging.AddFilter<ServerLog>("Microsoft.AspNetCore.Components", LogLevel.Debug);
            logging.AddFilter<ServerLog>("Microsoft.AspNetCore.SignalR", LogLevel.Debug);
            logging.AddFilter<ServerLog>("Microsoft.AspNetCore.Http.Connections", LogLevel.Debug);
        });
        builder.UseSetting("ConnectionStrings:Deliverability", Database.ConnectionString);
        builder.UseSetting("Jobs:RunServer", runJobServer ? "true" : "false");
        builder.UseSetting("DataProtection:KeysDirectory", Path.Combine(Path.GetTempPath(), "deliverability-tests-keys", Database.Name));
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A batch with these files stored and submitted, as an upload leaves it; not read yet.</summary>
    public async Task<long> StoreBatchAsync(params (string Name, byte[] Content)[] files)
    {
        await using var scope = Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
        var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, CancellationToken.None);
        foreach (var (name, content) in files)
        {
            await uploads.AddFileAsync(batchId, name, new MemoryStream(content), CancellationToken.None);
        }

        await uploads.MarkSubmittedAsync(batchId, CancellationToken.None);
        return batchId;
    }

    public async Task<DeliverabilityUser> AddUserAsync(string email, string role, string password = Password)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserRegistration>().AddAsync(email, password, role);
    }
}
