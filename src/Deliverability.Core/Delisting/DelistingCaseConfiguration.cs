using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Delisting;

public sealed class DelistingCaseConfiguration : IEntityTypeConfiguration<DelistingCase>
{
    public void Configure(EntityTypeBuilder<DelistingCase> builder)
    {
        builder.ToTable("delisting_cases");
        builder.Property(x => x.Target).HasMaxLength(100);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.OpenedBy).HasMaxLength(256);
        builder.Property(x => x.CurrentStepKey).HasMaxLength(64);
        builder.Property(x => x.BlockCodes).HasMaxLength(500);
        builder.Property(x => x.TicketNumber).HasMaxLength(100);
        builder.HasIndex(x => new { x.SendingIpId, x.Target, x.State });
        // At most one unresolved case per IP and target: a second "open" returns the existing one.
        builder.HasIndex(x => new { x.SendingIpId, x.Target }).IsUnique().HasFilter("state <> 'Resolved'")
            .HasDatabaseName("ix_delisting_cases_one_unresolved_per_target");
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}
