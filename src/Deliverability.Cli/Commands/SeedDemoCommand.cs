using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Deliverability.Core.Demo;
using Deliverability.Core.Remediation;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

/// <summary>`deliverability seed-demo [--bounces N] [--ips M]`: a labelled demo in an empty database, plus volume on demand.</summary>
internal static class SeedDemoCommand
{
    public static Command Create()
    {
        var bounces = new Option<int>("--bounces") { Description = "Also add this many synthetic bounces (for measuring the pages), spread over --ips sending IPs." };
        var ips = new Option<int>("--ips") { Description = "Sending IPs for --bounces (198.18.0.0/15).", DefaultValueFactory = _ => 1000 };
        var command = new Command("seed-demo", "Fill an empty database with a clearly labelled demo: five sending IPs, one blocked by Outlook.com with its bounces, checks and an open delisting case.") { bounces, ips };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            var culture = CultureInfo.InvariantCulture;
            var watch = Stopwatch.StartNew();
            DemoSeedOutcome outcome;
            await using (var scope = host.Services.CreateAsyncScope())
            {
                try
                {
                    outcome = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(ct);
                }
                catch (InvalidOperationException e)
                {
                    await Console.Error.WriteLineAsync(e.Message);
                    return 1;
                }
            }

            Console.WriteLine(string.Create(culture, $"Demo: {outcome.SendingIps} sending IPs labelled \"{DemoSeeder.LabelPrefix}...\", {outcome.Bounces} bounces, {outcome.Complaints} complaints ({watch.Elapsed.TotalSeconds:0.0} s)."));
            var extra = parse.GetValue(bounces);
            if (extra > 0)
            {
                watch.Restart();
                await using var scope = host.Services.CreateAsyncScope();
                var bulk = await scope.ServiceProvider.GetRequiredService<DemoBulkSeeder>().SeedAsync(extra, parse.GetValue(ips), ct);
                Console.WriteLine(string.Create(culture, $"Bulk: {extra:N0} bounces over {bulk.Count:N0} sending IPs ({watch.Elapsed.TotalSeconds:0.0} s)."));
                watch.Restart();
                await scope.ServiceProvider.GetRequiredService<IpDiagnosisRequests>().RediagnoseAllAsync(ct);
                Console.WriteLine(string.Create(culture, $"Diagnosed {bulk.Count:N0} sending IPs: hourly counts, checklists and status rows ({watch.Elapsed.TotalSeconds:0.0} s)."));
            }

            return 0;
        });
        return command;
    }
}
