using System.CommandLine;
using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Dns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Deliverability.Cli.Commands;

/// <summary>`deliverability check --ip ...`: every DNS check for one sending IP, no database needed.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var ip = new Option<string>("--ip") { Description = "The sending IP address (IPv4 or IPv6).", Required = true };
        var domains = new Option<string[]>("--domain") { Description = "A domain this IP sends for (SPF, DMARC, MX, Outlook rule). Repeatable." };
        var dkim = new Option<string[]>("--dkim") { Description = "A DKIM key to check, as DOMAIN:SELECTOR. Repeatable." };
        var helo = new Option<string?>("--helo") { Description = "The HELO/EHLO name the server uses." };
        var blocked = new Option<string[]>("--blocked-domain") { Description = "A domain currently being blocked (makes DMARC warnings urgent). Repeatable." };
        var resolver = ResolverOption();
        var zoneSuffix = ZoneSuffixOption(null);
        var json = new Option<bool>("--json") { Description = "Print one JSON object per check (JSON lines)." };

        var command = new Command("check", "Run the DNS checks (PTR, FCrDNS, HELO, SPF, DKIM, DMARC, Outlook rule, MX, blocklists, Sender Score) for one sending IP.")
        {
            ip, domains, dkim, helo, blocked, resolver, zoneSuffix, json,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            if (!IPAddress.TryParse(parseResult.GetValue(ip), out var address))
            {
                await Console.Error.WriteLineAsync($"'{parseResult.GetValue(ip)}' is not an IP address.");
                return 2;
            }

            List<DkimSelector> selectors;
            try
            {
                selectors = (parseResult.GetValue(dkim) ?? []).Select(DkimSelector.Parse).ToList();
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"--dkim: {ex.Message}");
                return 2;
            }

            using var host = BuildHost(parseResult.GetValue(resolver), parseResult.GetValue(zoneSuffix));
            var runner = host.Services.GetRequiredService<IpCheckRunner>();
            var request = new IpCheckRequest(address, parseResult.GetValue(domains) ?? [], selectors, parseResult.GetValue(helo),
                parseResult.GetValue(blocked) ?? []);
            var results = await runner.RunAsync(request, ct);
            if (parseResult.GetValue(json))
            {
                foreach (var result in results) Console.WriteLine(CheckJson.Serialize(result));
            }
            else
            {
                PrintTable(results);
            }

            return results.Any(r => r.Status == CheckStatus.Fail) ? 1 : 0;
        });
        return command;
    }

    internal static Option<string?> ResolverOption() =>
        new("--resolver") { Description = "Name server to ask, HOST:PORT (default: Dns:NameServers from configuration, else the system resolver)." };

    internal static Option<string?> ZoneSuffixOption(string? defaultValue)
    {
        var option = new Option<string?>("--zone-suffix")
        {
            Description = "Append this to every blocklist and Sender Score zone (e.g. dnsbl.test to query local fixture zones).",
        };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    /// <summary>A host with only the DNS checks registered, configured from appsettings/environment like the web app, plus the command-line overrides.</summary>
    internal static IHost BuildHost(string? resolver, string? zoneSuffix)
    {
        var builder = CliHost.NewBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDeliverabilityChecks(builder.Configuration);
        if (!string.IsNullOrWhiteSpace(resolver))
        {
            builder.Services.PostConfigure<DnsOptions>(o =>
            {
                o.NameServers.Clear();
                o.NameServers.Add(resolver);
            });
        }

        if (!string.IsNullOrWhiteSpace(zoneSuffix)) builder.Services.PostConfigure<ChecksOptions>(o => o.ZoneSuffix = zoneSuffix);
        return builder.Build();
    }

    private static void PrintTable(IReadOnlyList<CheckResult> results)
    {
        var checkWidth = Math.Max(5, results.Max(r => r.Check.Length));
        var targetWidth = Math.Max(6, results.Max(r => r.Target.Length));
        Console.WriteLine($"{"STATUS",-8} {"CHECK".PadRight(checkWidth)} {"TARGET".PadRight(targetWidth)} SUMMARY");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Status.ToString().ToUpperInvariant(),-8} {r.Check.PadRight(checkWidth)} {r.Target.PadRight(targetWidth)} {r.Summary}");
        }

        var counts = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        Console.WriteLine();
        Console.WriteLine($"{results.Count} checks: {string.Join(", ", counts)}.");
    }
}
