using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

/// <summary>
/// <c>deliverability bench ingest</c>: builds an mbox of N distinct bounces from template messages, then stores and
/// ingests it end to end into PostgreSQL (the same path as an upload) and prints messages/s and peak memory.
/// </summary>
internal static class BenchIngestCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--messages") { Description = "How many messages the generated mbox holds.", DefaultValueFactory = _ => 100_000 };
        var from = new Option<DirectoryInfo>("--from")
        {
            Description = "Folder of .eml templates (each copy gets its own header line, so none is a duplicate).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("tests", "Deliverability.Core.Tests", "TestData", "Bounces")),
        };
        var given = new Option<FileInfo?>("--mbox") { Description = "Ingest this mbox (e.g. from bench/bounce-mbox.py) instead of copies of the templates." };
        var command = new Command("ingest", "Ingest a generated mbox end to end into PostgreSQL; prints messages/s and peak working set.") { count, from, given };
        command.SetAction(async (parse, ct) =>
        {
            var givenMbox = parse.GetValue(given);
            List<string> templates = [];
            if (givenMbox is null)
            {
                var folder = parse.GetRequiredValue(from);
                templates = folder.Exists
                    ? folder.EnumerateFiles("*.eml").OrderBy(f => f.Name, StringComparer.Ordinal)
                        .Select(f => File.ReadAllText(f.FullName).Replace("\r\n", "\n", StringComparison.Ordinal)).ToList()
                    : [];
                if (templates.Count == 0)
                {
                    await Console.Error.WriteLineAsync($"No .eml templates in {folder.FullName}; give --from FOLDER or --mbox FILE.");
                    return 2;
                }
            }

            var n = parse.GetValue(count);
            var run = Guid.NewGuid().ToString("N")[..8];
            var mbox = givenMbox?.FullName ?? Path.Combine(Path.GetTempPath(), $"deliverability-bench-{Environment.ProcessId}.mbox");
            try
            {
                if (givenMbox is null)
                {
                    await using var writer = new StreamWriter(mbox, false, new UTF8Encoding(false), 1 << 20);
                    for (var i = 0; i < n; i++)
                    {
                        var template = templates[i % templates.Count];
                        await writer.WriteAsync($"From MAILER-DAEMON Tue Mar 10 09:15:02 2026\nX-Bench-Copy: {run}-{i}\n");
                        await writer.WriteAsync(template.Replace("\nFrom ", "\n>From ", StringComparison.Ordinal));
                        await writer.WriteAsync(template.EndsWith('\n') ? "\n" : "\n\n");
                    }
                }

                var size = new FileInfo(mbox).Length;
                using var host = CliHost.Build();
                await using var scope = host.Services.CreateAsyncScope();
                var culture = CultureInfo.InvariantCulture;
                Console.WriteLine(templates.Count == 0
                    ? string.Create(culture, $"mbox {mbox} ({size / 1e6:F1} MB)")
                    : string.Create(culture, $"generated {n} messages from {templates.Count} templates ({size / 1e6:F1} MB)"));

                // An untimed warm-up batch first (compiles the code paths, opens the pools), as a running server would be.
                await IngestAsync(scope.ServiceProvider, mbox, maxMessages: 500, ct);
                var clock = Stopwatch.StartNew();
                var (batchId, stored) = await IngestAsync(scope.ServiceProvider, mbox, maxMessages: null, ct);
                clock.Stop();

                var batch = await scope.ServiceProvider.GetRequiredService<DeliverabilityDbContext>().IngestBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, ct);
                var seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(culture, $"batch {batchId}: {batch.MessageCount} messages, {batch.BounceCount} bounce rows, {batch.ComplaintCount} complaints, {batch.DuplicateCount} duplicates, {batch.ErrorCount} errors"));
                Console.WriteLine(string.Create(culture, $"upload stored in {stored.TotalSeconds:F1} s; end to end {seconds:F1} s"));
                Console.WriteLine(string.Create(culture, $"messages/s: {batch.MessageCount / seconds:F0}"));
                Console.WriteLine(string.Create(culture, $"peak working set MB: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0}"));
                return 0;
            }
            finally
            {
                if (givenMbox is null) File.Delete(mbox);
            }
        });
        return command;
    }

    private static async Task<(long BatchId, TimeSpan Stored)> IngestAsync(IServiceProvider services, string mbox, int? maxMessages, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var upload = await services.GetRequiredService<Ingest>().OpenAsync("bench", IngestSource.Cli, null, ct);
        await using (Stream file = maxMessages is null ? File.OpenRead(mbox) : new MemoryStream(FirstMessages(mbox, maxMessages.Value)))
        {
            await upload.AddAsync(maxMessages is null ? "bench.mbox" : "warm-up.mbox", file, ct);
        }

        var stored = clock.Elapsed;
        await upload.SubmitAndReadAsync(ct);
        var batchId = upload.BatchId;
        return (batchId, stored);
    }

    /// <summary>The first n messages of the generated mbox, with a different copy header so they are not duplicates of the timed run.</summary>
    private static byte[] FirstMessages(string mbox, int n)
    {
        var text = new StringBuilder();
        var seen = 0;
        foreach (var line in File.ReadLines(mbox))
        {
            if (line.StartsWith("From ", StringComparison.Ordinal) && ++seen > n)
            {
                break;
            }

            text.Append(line.StartsWith("X-Bench-Copy: ", StringComparison.Ordinal) ? "X-Bench-Copy: warm-up-" + line[14..] : line).Append('\n');
            if (line.StartsWith("From ", StringComparison.Ordinal))
            {
                text.Append("X-Bench-Warm-Up: ").Append(seen).Append('\n'); // never a duplicate of the timed run's messages
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
