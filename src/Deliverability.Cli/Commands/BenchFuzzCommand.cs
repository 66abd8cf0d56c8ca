using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Deliverability.Core.Ingestion.Fuzz;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

/// <summary>
/// <c>deliverability bench fuzz</c>: mutated copies of our fixture messages uploaded as one batch and read into PostgreSQL
/// by the real ingest job; prints cases, crashes and messages lost (exit 1 when any). With --write, only writes the cases
/// as files into a folder (for `deliverability ingest FOLDER`).
/// </summary>
internal static class BenchFuzzCommand
{
    public static Command Create()
    {
        var cases = new Option<int>("--cases") { Description = "How many files to generate (about one in five an mbox of 2-5 messages).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the mutator: the same seed makes the same cases.", DefaultValueFactory = _ => 1 };
        var from = new Option<DirectoryInfo>("--from")
        {
            Description = "Folder of .eml fixtures to mutate (searched recursively).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("tests", "Deliverability.Core.Tests", "TestData", "Bounces")),
        };
        var write = new Option<DirectoryInfo?>("--write") { Description = "Write the cases into this folder instead of ingesting them." };
        var command = new Command("fuzz", "Ingest mutated fixture messages end to end; prints cases, crashes and messages lost.") { cases, seed, from, write };
        command.SetAction(async (parse, ct) =>
        {
            var fixtures = parse.GetRequiredValue(from).EnumerateFiles("*.eml", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal)
                .Select(f => File.ReadAllBytes(f.FullName)).ToList();
            if (fixtures.Count == 0)
            {
                await Console.Error.WriteLineAsync($"No .eml fixtures in {parse.GetRequiredValue(from).FullName}.");
                return 2;
            }

            var generated = FuzzIngest.Generate(fixtures, parse.GetValue(cases), parse.GetValue(seed)).ToList();
            var culture = CultureInfo.InvariantCulture;
            if (parse.GetValue(write) is { } folder)
            {
                folder.Create();
                foreach (var c in generated)
                {
                    await File.WriteAllBytesAsync(Path.Combine(folder.FullName, c.Name), c.Content, ct);
                }

                Console.WriteLine(string.Create(culture, $"wrote {generated.Count} files, {generated.Sum(c => c.Messages)} messages, to {folder.FullName}"));
                return 0;
            }

            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var clock = Stopwatch.StartNew();
            var outcome = await scope.ServiceProvider.GetRequiredService<FuzzIngest>().RunAsync(generated, ct);
            Console.WriteLine(string.Create(culture, $"batch {outcome.BatchId}: {outcome.Status} in {clock.Elapsed.TotalSeconds:F1} s"));
            Console.WriteLine(string.Create(culture, $"cases: {outcome.Cases} files, {outcome.MessagesIn} messages"));
            Console.WriteLine(string.Create(culture, $"stored: {outcome.Stored}; reported with their error: {outcome.Reported}; files failed with a reason: {outcome.FilesFailed}; read as a log or export: {outcome.ReadAsOtherKinds}"));
            Console.WriteLine(string.Create(culture, $"crashes: {outcome.Crashes}"));
            Console.WriteLine(string.Create(culture, $"messages lost: {outcome.Lost}"));
            Console.WriteLine(string.Create(culture, $"files silently empty: {outcome.SilentlyEmpty}"));
            foreach (var finding in outcome.Findings.Take(50))
            {
                Console.WriteLine("  " + finding);
            }

            return outcome.Clean ? 0 : 1;
        });
        return command;
    }
}
