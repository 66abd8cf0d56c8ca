using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Delisting;

public enum DelistingStepState
{
    Pending,
    Done,
    Skipped,
}

/// <summary>One step of a case, copied from its process at opening so the case keeps its own progress.</summary>
public sealed class DelistingStep
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public int Position { get; set; }

    /// <summary>The step's key in the process ("fix-causes", "submit", ...).</summary>
    public required string Key { get; set; }

    public required string Title { get; set; }
    public DelistingStepState State { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public string? DoneBy { get; set; }

    /// <summary>What the user entered or what was filled in for them (codes found, score seen, outcome ...).</summary>
    public string? Note { get; set; }
}

public sealed class DelistingStepConfiguration : IEntityTypeConfiguration<DelistingStep>
{
    public void Configure(EntityTypeBuilder<DelistingStep> builder)
    {
        builder.ToTable("delisting_steps");
        builder.HasIndex(x => new { x.CaseId, x.Position }).IsUnique();
        builder.Property(x => x.Key).HasMaxLength(64);
        builder.Property(x => x.Title).HasMaxLength(300);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.DoneBy).HasMaxLength(256);
        builder.Property(x => x.Note).HasMaxLength(4000);
        builder.HasOne<DelistingCase>().WithMany(x => x.Steps).HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
