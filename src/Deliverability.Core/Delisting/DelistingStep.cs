using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Delisting;

public enum DelistingStepState
{
    Pending,
    Done,
    Skipped,

    /// <summary>Marked done although the evidence does not confirm it; <see cref="DelistingStep.OverrideReason"/> says why.</summary>
    Overridden,
}

/// <summary>One step of a case, copied from its process at opening so the case keeps its own progress.</summary>
public sealed class DelistingStep
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public int Position { get; set; }

    /// <summary>The step's key in the process ("fix-causes", "submit", ...): finds its title, guidance and link.</summary>
    public required string Key { get; set; }

    /// <summary>What the step is and which operation finishes it.</summary>
    public DelistingStepKind Kind { get; set; }

    public required string Title { get; set; }
    public DelistingStepState State { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public string? DoneBy { get; set; }

    /// <summary>What the user entered or what was filled in for them (codes found, score seen, outcome ...).</summary>
    public string? Note { get; set; }

    /// <summary>Why the user marked the step done against the evidence (state <see cref="DelistingStepState.Overridden"/>).</summary>
    public string? OverrideReason { get; set; }

    public bool IsPending => State == DelistingStepState.Pending;

    /// <summary>Steps finished only by their own record (submission, answers, outcome), never by "complete".</summary>
    public bool IsFinishedByItsRecord => Kind is DelistingStepKind.Submission or DelistingStepKind.TrackReplies or DelistingStepKind.Outcome;

    /// <summary>Whether the step states a fact the evidence can confirm or contradict ("all checks pass", "score above 85").</summary>
    public bool AssertsAFact => DelistingClaims.IsClaim(Kind);

    internal void Finish(DelistingStepState state, DateTimeOffset at, string user, string? note, string? overrideReason = null)
    {
        State = state;
        DoneAt = at;
        DoneBy = user;
        OverrideReason = overrideReason;
        if (!string.IsNullOrWhiteSpace(note))
        {
            var trimmed = note.Trim();
            Note = trimmed.Length > 4000 ? trimmed[..4000] : trimmed;
        }
    }

    internal void Reset(bool clearNote)
    {
        State = DelistingStepState.Pending;
        DoneAt = null;
        DoneBy = null;
        OverrideReason = null;
        if (clearNote) Note = null;
    }
}

public sealed class DelistingStepConfiguration : IEntityTypeConfiguration<DelistingStep>
{
    public void Configure(EntityTypeBuilder<DelistingStep> builder)
    {
        builder.ToTable("delisting_steps");
        builder.HasIndex(x => new { x.CaseId, x.Position }).IsUnique();
        builder.Property(x => x.Key).HasMaxLength(64);
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(x => x.Title).HasMaxLength(300);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.DoneBy).HasMaxLength(256);
        builder.Property(x => x.Note).HasMaxLength(4000);
        builder.Property(x => x.OverrideReason).HasMaxLength(1000);
        builder.Ignore(x => x.IsPending);
        builder.Ignore(x => x.IsFinishedByItsRecord);
        builder.Ignore(x => x.AssertsAFact);
        builder.HasOne<DelistingCase>().WithMany(x => x.Steps).HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
