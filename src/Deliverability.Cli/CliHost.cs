using Deliverability.Core;
using Deliverability.Core.Data;
using Deliverability.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Deliverability.Cli;

/// <summary>The services a database-backed command needs, configured from the environment like the web app.</summary>
internal static class CliHost
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false });
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
}
