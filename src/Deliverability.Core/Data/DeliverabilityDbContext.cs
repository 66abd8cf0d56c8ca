using Deliverability.Core.Ips;
using Deliverability.Core.Users;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Data;

public sealed class DeliverabilityDbContext(DbContextOptions<DeliverabilityDbContext> options)
    : IdentityDbContext<DeliverabilityUser>(options)
{
    public DbSet<SendingIp> SendingIps => Set<SendingIp>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DeliverabilityDbContext).Assembly);
    }
}
