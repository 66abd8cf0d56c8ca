using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Mailboxes;

/// <summary>How the IMAP connection is secured: none (plain text, loopback or a trusted network only), TLS from the start, or STARTTLS.</summary>
public enum MailboxTls { None, Ssl, StartTls }

/// <summary>What the secret is: a password (LOGIN/PLAIN) or an OAuth2 access token (XOAUTH2).</summary>
public enum MailboxSecretKind { Password, OAuth2Token }

/// <summary>What happens to a message once it was imported as a bounce or complaint. Nothing is ever deleted.</summary>
public enum MailboxAfterImport { Leave, Flag, Move }

/// <summary>
/// An IMAP mailbox that bounces and complaints arrive in. The poll reads one folder from the last UID it imported
/// (<see cref="LastUid"/> under <see cref="UidValidity"/>), so nothing is read twice or missed across restarts; the secret
/// is stored encrypted (<see cref="Secrets.SecretPurposes.MailboxSecret"/>) and never shown again.
/// </summary>
public sealed class MailboxSource
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public MailboxTls Tls { get; set; }
    public required string UserName { get; set; }
    public MailboxSecretKind SecretKind { get; set; }

    /// <summary>The password or token, encrypted with Data Protection; never leaves Core in clear except to the IMAP server.</summary>
    public required string ProtectedSecret { get; set; }

    public required string Folder { get; set; }
    public MailboxAfterImport AfterImport { get; set; }

    /// <summary>The keyword added (<see cref="MailboxAfterImport.Flag"/>) or the folder moved to (<see cref="MailboxAfterImport.Move"/>).</summary>
    public string? AfterImportTarget { get; set; }

    public int PollIntervalMinutes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastPolledAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }

    /// <summary>Why the last poll failed (connection, TLS, login, folder); null once a poll succeeds again.</summary>
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>The folder's UIDVALIDITY when <see cref="LastUid"/> was recorded; a change means the UIDs were renumbered.</summary>
    public long? UidValidity { get; set; }

    /// <summary>The highest UID whose message is recorded in <c>mailbox_messages</c> (0: none yet).</summary>
    public long LastUid { get; set; }
}

/// <summary>
/// One message read from a mailbox: recorded once per (mailbox, UIDVALIDITY, UID) in the same transaction that moves
/// <see cref="MailboxSource.LastUid"/>. Its SHA-256 is the ingested raw message's, so a folder renumbered by the server is
/// re-read without importing anything twice, and the counts on the settings page are distinct messages.
/// </summary>
public sealed class MailboxMessage
{
    public long Id { get; set; }
    public long MailboxId { get; set; }
    public long UidValidity { get; set; }
    public long Uid { get; set; }
    public required byte[] Sha256 { get; set; }

    /// <summary>What the parser made of it (Bounce, Feedback, NotABounce, ...; NotStored when the ingest refused it).</summary>
    public required string Kind { get; set; }
    public long? BatchId { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
}

public sealed class MailboxSourceConfiguration : IEntityTypeConfiguration<MailboxSource>
{
    public void Configure(EntityTypeBuilder<MailboxSource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("mailbox_sources");
        builder.HasIndex(x => x.Name).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(MailboxSettings.MaxName);
        builder.Property(x => x.Host).HasMaxLength(255);
        builder.Property(x => x.UserName).HasMaxLength(320);
        builder.Property(x => x.Folder).HasMaxLength(MailboxSettings.MaxFolder);
        builder.Property(x => x.AfterImportTarget).HasMaxLength(MailboxSettings.MaxFolder);
        builder.Property(x => x.LastError).HasMaxLength(1000);
        builder.Property(x => x.Tls).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.SecretKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.AfterImport).HasConversion<string>().HasMaxLength(16);
    }
}

public sealed class MailboxMessageConfiguration : IEntityTypeConfiguration<MailboxMessage>
{
    public void Configure(EntityTypeBuilder<MailboxMessage> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("mailbox_messages");
        builder.HasIndex(x => new { x.MailboxId, x.UidValidity, x.Uid }).IsUnique();
        builder.HasIndex(x => new { x.MailboxId, x.Sha256 });
        builder.Property(x => x.Kind).HasMaxLength(16);
        builder.HasOne<MailboxSource>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
