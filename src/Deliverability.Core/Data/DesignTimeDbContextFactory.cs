using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Deliverability.Core.Data;

/// <summary>Lets `dotnet ef` build the model without starting a host; no database is contacted.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DeliverabilityDbContext>
{
    public DeliverabilityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<DeliverabilityDbContext>();
        DependencyInjection.ConfigureNpgsql(options, "Host=127.0.0.1;Port=55432;Database=deliverability;Username=deliverability");
        return new DeliverabilityDbContext(options.Options);
    }
}
