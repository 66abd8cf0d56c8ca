using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Delisting;

/// <summary>One line of a case's audit log: who changed what, and when.</summary>
public sealed class DelistingCaseEvent
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string User { get; set; }
    public required string What { get; set; }
}

public sealed class DelistingCaseEventConfiguration : IEntityTypeConfiguration<DelistingCaseEvent>
{
    public void Configure(EntityTypeBuilder<DelistingCaseEvent> builder)
    {
        builder.ToTable("delisting_case_events");
        builder.HasIndex(x => new { x.CaseId, x.At });
        builder.Property(x => x.User).HasMaxLength(256);
        builder.Property(x => x.What).HasMaxLength(2000);
        builder.HasOne<DelistingCase>().WithMany(x => x.Events).HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
