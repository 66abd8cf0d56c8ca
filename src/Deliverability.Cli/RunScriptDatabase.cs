using Microsoft.Extensions.Configuration;

namespace Deliverability.Cli;

/// <summary>
/// The database and Data Protection keys of <c>./run.sh</c>'s private cluster, for a command run in (or from) the same checkout
/// without settings: the CLI then reads and writes what the app serves, and encrypts secrets with the app's keys.
/// </summary>
internal static class RunScriptDatabase
{
    private const string ConnectionStringKey = "ConnectionStrings:" + Core.DependencyInjection.ConnectionStringName;

    public static void ApplyWhenUnset(IConfigurationManager configuration, TextWriter notice)
    {
        if (configuration[ConnectionStringKey] is { Length: > 0 } || FindCheckout() is not { } checkout)
        {
            return;
        }

        var port = Environment.GetEnvironmentVariable("DELIVERABILITY_PG_PORT") is { Length: > 0 } p ? p : "55432";
        var password = File.ReadAllText(Path.Combine(checkout, ".data", "pg-app-password")).Trim();
        configuration[ConnectionStringKey] = $"Host=127.0.0.1;Port={port};Database=deliverability;Username=deliverability;Password={password}";
        if (configuration["DataProtection:KeysDirectory"] is not { Length: > 0 })
        {
            configuration["DataProtection:KeysDirectory"] = Path.Combine(checkout, ".data", "keys");
        }

        notice.WriteLine($"Using the database of {Path.Combine(checkout, "run.sh")} (127.0.0.1:{port}); set ConnectionStrings__Deliverability to use another.");
    }

    /// <summary>The nearest folder holding run.sh and the password it generated, above the current folder or the CLI's own.</summary>
    private static string? FindCheckout()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "run.sh")) && File.Exists(Path.Combine(dir.FullName, ".data", "pg-app-password")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
