using System.Diagnostics;
using Deliverability.Testing;

namespace Deliverability.IntegrationTests;

/// <summary>Runs the `deliverability` CLI as a process on a test database, with extra environment variables.</summary>
internal static class CliProcess
{
    public static async Task<(int Exit, string Output)> RunAsync(TestDatabase database, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Start(database, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts the CLI and returns at once (a test that kills it mid-way); its output is redirected.</summary>
    public static Process Start(TestDatabase database, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "deliverability.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ConnectionStrings__Deliverability"] = database.ConnectionString;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}
