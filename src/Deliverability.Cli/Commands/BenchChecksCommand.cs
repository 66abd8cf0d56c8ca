using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

/// <summary>
/// `deliverability bench checks`: times PTR/FCrDNS, every default blocklist and Sender Score for N IPs with the default concurrency.
/// The IPs come from 198.18.0.0/15 (RFC 2544, reserved for benchmarking), matching tests/dns/generate-bench-zones.sh.
/// </summary>
internal static class BenchChecksCommand
{
    /// <summary>The `checks` subcommand; add it under a `bench` parent command.</summary>
    public static Command Create()
    {
        var count = new Option<int>("--ips") { Description = "How many IPs to check (from 198.18.0.0).", DefaultValueFactory = _ => 1000 };
        var resolver = CheckCommand.ResolverOption();
        var zoneSuffix = CheckCommand.ZoneSuffixOption("dnsbl.test");
        var command = new Command("checks", "Time the IP checks (PTR, FCrDNS, blocklists, Sender Score) for N IPs against a name server, e.g. the local NSD fixtures.")
        {
            count, resolver, zoneSuffix,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var n = parseResult.GetValue(count);
            if (n is < 1 or > 131072)
            {
                await Console.Error.WriteLineAsync("--ips must be between 1 and 131072.");
                return 2;
            }

            using var host = CheckCommand.BuildHost(parseResult.GetValue(resolver), parseResult.GetValue(zoneSuffix));
            var runner = host.Services.GetRequiredService<IpCheckRunner>();
            var lists = host.Services.GetRequiredService<BlocklistCheck>().Zones();
            var requests = Enumerable.Range(0, n).Select(i => new IpCheckRequest(BenchAddress(i), [], [])).ToList();

            var watch = Stopwatch.StartNew();
            var trust = runner.BeginRun();
            var results = (await runner.RunManyAsync(requests, trust, ct)).SelectMany(r => r).ToList();
            watch.Stop();
            var report = trust.Report();

            var byStatus = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Checked {n} IPs against {lists.Count} blocklists + ptr/fcrdns + senderscore: {results.Count} checks in {seconds:0.00} s ({results.Count / seconds:0} checks/s)."));
            Console.WriteLine($"Results: {string.Join(", ", byStatus)}.");
            var probes = (report.Resolver?.Probes.Count ?? 0) + report.Lists.Sum(l => l.Probes.Count);
            var untrusted = report.Lists.Where(l => !l.Trusted).Select(l => $"{l.Name} ({l.Problem})").ToList();
            Console.WriteLine($"DNS trust: {probes} probe queries for the run; resolver {(report.Resolver is { Trusted: false } r ? $"NOT trusted ({r.Problem})" : "trusted")}; " +
                (untrusted.Count == 0 ? $"all {report.Lists.Count} lists answer their test points." : $"lists not trusted: {string.Join(", ", untrusted)}."));
            foreach (var group in results.Where(r => r.Status == CheckStatus.Unknown).GroupBy(r => r.Check).OrderByDescending(g => g.Count()).Take(5))
            {
                Console.WriteLine($"  unknown {group.Key}: {group.Count()} (e.g. {group.First().Summary})");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The i-th benchmark address: 198.18.0.0 + i.</summary>
    public static IPAddress BenchAddress(int i) => new([198, (byte)(18 + (i >> 16)), (byte)((i >> 8) & 0xFF), (byte)(i & 0xFF)]);
}
