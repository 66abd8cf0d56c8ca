using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Deliverability.Cli.Commands;

/// <summary>
/// <c>deliverability bench diagnosis</c>: times the full re-diagnosis of every IP, or the hourly refresh with a share of the IPs
/// changed, on the configured database. The chunks run on N workers in this process, as N Hangfire workers would take them.
/// </summary>
internal static class BenchDiagnosisCommand
{
    public static Command Create()
    {
        var full = new Option<bool>("--full") { Description = "Re-diagnose every IP (as after a re-parse) instead of the hourly refresh." };
        var changed = new Option<double>("--changed") { Description = "Refresh: percent of the IPs whose evidence changed (their requests are pending).", DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Chunks diagnosed at once.", DefaultValueFactory = _ => Environment.ProcessorCount * 2 };
        var command = new Command("diagnosis", "Time the full re-diagnosis or the hourly refresh of the sending IPs in the database.") { full, changed, workers };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            var culture = CultureInfo.InvariantCulture;
            var clock = TimeProvider.System;
            var chunks = new ConcurrentQueue<Func<IServiceProvider, Task>>();
            var scheduler = new CollectingScheduler(chunks);
            var dbFactory = host.Services.GetRequiredService<IDbContextFactory<DeliverabilityDbContext>>();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ips = await db.SendingIps.CountAsync(ct);
            var isFull = parse.GetValue(full);
            if (!isFull)
            {
                if (!await db.IpDiagnosisScans.AnyAsync(ct))
                {
                    await Console.Error.WriteLineAsync("No diagnosis pass has run on this database yet: run `bench diagnosis --full` first.");
                    return 2;
                }

                var share = parse.GetValue(changed) / 100.0;
                var marked = await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO ip_diagnosis_requests (sending_ip_id, requested_at)
                    SELECT id, now() - interval '20 minutes' FROM sending_ips WHERE random() < {0}
                    ON CONFLICT (sending_ip_id) DO NOTHING
                    """, [share], ct);
                Console.WriteLine(string.Create(culture, $"{ips} sending IPs; {marked} marked as changed (pending requests)"));
            }
            else
            {
                Console.WriteLine(string.Create(culture, $"{ips} sending IPs; full re-diagnosis"));
            }

            var watch = Stopwatch.StartNew();
            var planner = new DiagnoseAllIpsJob(db, new IpDiagnosisRequests(scheduler), clock, NullLogger<DiagnoseAllIpsJob>.Instance);
            var due = await planner.PlanAsync(isFull, ct);
            var planned = watch.Elapsed;
            var n = parse.GetValue(workers);
            await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = n, CancellationToken = ct }, async (run, token) =>
            {
                await using var scope = host.Services.CreateAsyncScope();
                await run(scope.ServiceProvider);
            });
            watch.Stop();
            var left = await db.IpDiagnosisRequests.CountAsync(ct);
            Console.WriteLine(string.Create(culture, $"due: {due.Count} IPs found in {planned.TotalSeconds:F2} s; diagnosed on {n} workers; {left} requests left"));
            Console.WriteLine(string.Create(culture, $"{(isFull ? "full re-diagnosis" : "hourly refresh")}: {watch.Elapsed.TotalSeconds:F1} s ({(due.Count == 0 ? 0 : watch.Elapsed.TotalMilliseconds / due.Count):F1} ms per due IP)"));
            return 0;
        });
        return command;
    }

    /// <summary>Keeps the chunk jobs the planner queues, to run them on this process's workers.</summary>
    private sealed class CollectingScheduler(ConcurrentQueue<Func<IServiceProvider, Task>> jobs) : IJobScheduler
    {
        public Task EnqueueAsync<TJob>(Expression<Func<TJob, Task>> run, CancellationToken ct) where TJob : notnull
        {
            var compiled = run.Compile();
            jobs.Enqueue(services => compiled(services.GetRequiredService<TJob>()));
            return Task.CompletedTask;
        }
    }
}
