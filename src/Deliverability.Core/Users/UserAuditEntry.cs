using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Users;

public enum UserAction
{
    Added,
    RoleChanged,
    PasswordReset,
    Unlocked,
    Removed,
}

/// <summary>One change an Admin (or the command line) made to a user: who, when, what. Written only by <see cref="UserAdministration"/>.</summary>
public sealed class UserAuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ActorName { get; set; }

    /// <summary>The Admin's user id; null for the command line.</summary>
    public string? ActorUserId { get; set; }
    public UserAction Action { get; set; }
    public required string TargetEmail { get; set; }
    public string? TargetUserId { get; set; }
    public required string Detail { get; set; }
}

public sealed class UserAuditEntryConfiguration : IEntityTypeConfiguration<UserAuditEntry>
{
    public void Configure(EntityTypeBuilder<UserAuditEntry> builder)
    {
        builder.ToTable("user_audit");
        builder.Property(x => x.ActorName).HasMaxLength(320);
        builder.Property(x => x.ActorUserId).HasMaxLength(450);
        builder.Property(x => x.Action).HasConversion<string>().HasMaxLength(32);
        builder.Property(x => x.TargetEmail).HasMaxLength(320);
        builder.Property(x => x.TargetUserId).HasMaxLength(450);
        builder.Property(x => x.Detail).HasMaxLength(500);
        builder.HasIndex(x => x.At);
    }
}
