using Deliverability.Core;
using Deliverability.Core.Data;
using Deliverability.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Deliverability.Cli;

/// <summary>The services a database-backed command needs, configured from the environment like the web app.</summary>
internal static class CliHost
{
    public static IHost Build()
    {
        var builder = NewBuilder();
        RunScriptDatabase.ApplyWhenUnset(builder.Configuration, Console.Error);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // EF logs the probe for the migrations history table as an error on an empty database; it is expected.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        builder.Services.AddDeliverabilityCore(builder.Configuration);
        builder.Services.AddIdentityCore<DeliverabilityUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DeliverabilityDbContext>();
        return builder.Build();
    }

    /// <summary>
    /// The default host builder (appsettings in the working directory, the environment) without reload-on-change: on Linux the
    /// watcher follows every directory under the working directory, and in a checkout whose data folder holds a busy PostgreSQL
    /// it took a core for itself during a long command (seed-demo of 10M bounces: a third of a core for 17 minutes).
    /// </summary>
    public static HostApplicationBuilder NewBuilder()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        return Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], Configuration = configuration });
    }
}
