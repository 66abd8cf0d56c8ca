using System.Diagnostics;
using Deliverability.Core.Ingestion.Fuzz;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>
/// Mutated copies of our fixtures through parse and ingest into PostgreSQL: nothing thrown, nothing lost. CI-sized; the
/// longer run is `deliverability bench fuzz --cases N`.
/// </summary>
public class IngestFuzzTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Fuzz_MutatedFixturesThroughTheIngestJob_NothingThrownNothingLost(int seed)
    {
        var fixtures = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces"), "*.eml").Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).ToList();
        var cases = FuzzIngest.Generate(fixtures, 250, seed).ToList();
        var clock = Stopwatch.StartNew();

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<FuzzIngest>().RunAsync(cases, Ct);

        TestContext.Current.SendDiagnosticMessage(
            $"seed {seed}: {outcome.Cases} files, {outcome.MessagesIn} messages, {outcome.Stored} stored, {outcome.Reported} reported, {outcome.Crashes} crashes, {outcome.Lost} lost in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(outcome.Clean, string.Join("\n", outcome.Findings.Prepend($"{outcome.Status}: lost {outcome.Lost}, silently empty {outcome.SilentlyEmpty}, crashes {outcome.Crashes}")));
    }
}
