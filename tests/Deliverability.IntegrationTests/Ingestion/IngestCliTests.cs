using System.Diagnostics;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>`deliverability ingest` run as a process against a real database.</summary>
public class IngestCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ingest_WhenGivenADirectoryAndAnIp_StoresEverythingAndPrintsTheCounts()
    {
        await using var database = await TestDatabase.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("deliverability-cli-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "s3150.eml"), Fixtures.Bounce("outlook-s3150"), Ct);
            Directory.CreateDirectory(Path.Combine(dir.FullName, "more"));
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "more", "postfix.eml"), Fixtures.Bounce("postfix-userunknown"), Ct);
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "more", "empty.eml"), [], Ct);

            var (exit, output) = await RunCliAsync(database, "ingest", dir.FullName, "--ip", "198.51.100.40");

            Assert.Equal(1, exit); // one file could not be read: the exit code says so, the others are in
            Assert.Contains("3 message(s): 2 parsed", output, StringComparison.Ordinal);
            Assert.Contains("empty.eml: empty file", output, StringComparison.Ordinal);
            await using var db = database.CreateDbContext();
            var bounces = await db.Bounces.Include(b => b.SendingIp).ToListAsync(Ct);
            Assert.Equal(2, bounces.Count);
            Assert.Contains(bounces, b => b.SendingIp!.Address.ToString() == "203.0.113.5" && b.SendingIpSource != "upload");
            Assert.Contains(bounces, b => b.SendingIp!.Address.ToString() == "198.51.100.40" && b.SendingIpSource == "upload");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Ingest_WhenIpIsNotAnAddress_RefusesWithTheReason()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (exit, output) = await RunCliAsync(database, "ingest", "/nonexistent", "--ip", "300.1.2.3");
        Assert.Equal(2, exit);
        Assert.Contains("not an IPv4 or IPv6 address", output, StringComparison.Ordinal);
    }

    internal static async Task<(int Exit, string Output)> RunCliAsync(TestDatabase database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "deliverability.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ConnectionStrings__Deliverability"] = database.ConnectionString;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
