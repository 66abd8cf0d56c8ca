using Deliverability.Testing;

namespace Deliverability.IntegrationTests;

/// <summary>A command that needs the database says in one line what is wrong and what to do, never a stack trace.</summary>
public class CliDatabaseProblemTests
{
    [Fact]
    public async Task Reparse_WhenPostgreSqlIsNotListening_SaysSoInOneLineWithExitCode2()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (exit, output) = await CliProcess.RunAsync(database,
            new Dictionary<string, string> { ["ConnectionStrings__Deliverability"] = "Host=127.0.0.1;Port=1;Database=deliverability;Username=deliverability" }, "reparse");

        Assert.Equal(2, exit);
        Assert.StartsWith("deliverability: Cannot reach PostgreSQL", output.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", output, StringComparison.Ordinal); // no stack frame
    }

    [Fact]
    public async Task Reparse_OnADatabaseWithoutTables_SaysToMigrateFirst()
    {
        await using var database = await TestDatabase.CreateAsync();
        var empty = database.ConnectionString.Replace($"Database={database.Name}", "Database=postgres", StringComparison.Ordinal);
        var (exit, output) = await CliProcess.RunAsync(database, new Dictionary<string, string> { ["ConnectionStrings__Deliverability"] = empty }, "reparse");

        Assert.Equal(2, exit);
        Assert.Contains("run `deliverability migrate` first", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reparse_WithoutAConnectionStringInACheckoutOfRunSh_UsesRunShsDatabase()
    {
        // The tests run inside the checkout, where test.sh's cluster left .data/pg-app-password as run.sh's would; port 1
        // keeps the command away from any real database.
        await using var database = await TestDatabase.CreateAsync();
        var (exit, output) = await CliProcess.RunAsync(database,
            new Dictionary<string, string> { ["ConnectionStrings__Deliverability"] = "", ["DELIVERABILITY_PG_PORT"] = "1" }, "reparse");

        Assert.Equal(2, exit);
        Assert.Contains("run.sh (127.0.0.1:1); set ConnectionStrings__Deliverability to use another.", output, StringComparison.Ordinal);
        Assert.Contains("deliverability: Cannot reach PostgreSQL", output, StringComparison.Ordinal);
    }
}
