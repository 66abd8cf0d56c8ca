using System.Net;
using Deliverability.Core.Ips;
using Deliverability.Core.Logs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// One delivery attempt read from one MTA log line (the evidence itself; <see cref="MtaLogHour"/> is derived from these).
/// <see cref="LineHash"/> identifies the line: a log uploaded again, or a grown copy of it, adds only the lines not stored yet.
/// <see cref="SendingIpId"/> is null while no rule says which IP the line's host/instance/sender sends from.
/// </summary>
public sealed class MtaLogDelivery
{
    public long Id { get; set; }

    /// <summary>The upload that first brought this line.</summary>
    public long FileId { get; set; }

    public long? SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }

    /// <summary>Lower-cased host that wrote the line ("unknown" when the log names none, e.g. an Exim main log).</summary>
    public required string LogHost { get; set; }

    /// <summary>Postfix instance ("postfix", "postfix-out") or "exim".</summary>
    public required string Instance { get; set; }

    /// <summary>Program tag ("postfix-out/smtp"): what a host + instance rule also matches on.</summary>
    public required string Program { get; set; }

    public string? Transport { get; set; }

    /// <summary>The local address the log names (Exim I=); Postfix never logs it.</summary>
    public IPAddress? LocalIp { get; set; }

    /// <summary>When the line was logged (UTC).</summary>
    public DateTimeOffset At { get; set; }

    public required string Recipient { get; set; }
    public string? Sender { get; set; }
    public string? SenderDomain { get; set; }
    public string? MessageId { get; set; }
    public string? QueueId { get; set; }
    public string? SubmittedBy { get; set; }
    public string? RelayHost { get; set; }
    public DeliveryStatus Status { get; set; }
    public int? ReplyCode { get; set; }

    /// <summary>RFC 3463 status (Postfix dsn=, or the one in the reply).</summary>
    public string? EnhancedStatus { get; set; }

    /// <summary>SMTP stage refused (CONN, HELO, MAIL, RCPT, DATA) when the log says so.</summary>
    public string? Command { get; set; }

    public string? Provider { get; set; }
    public string? ProviderCode { get; set; }

    /// <summary>The bounce parser's reason for the reply ("blocked", "userunknown", ...); null for a delivery that was sent.</summary>
    public string? Reason { get; set; }

    /// <summary>The DNS blocklist the refusal names ("zen.spamhaus.org"), <see cref="Checks.Blocklists.BlocklistMention.Unnamed"/> when it names none, else null.</summary>
    public string? Blocklist { get; set; }

    public bool IsMicrosoftBlock { get; set; }

    /// <summary>The remote reply or the MTA's explanation, cut to <see cref="MaxReplyLength"/> characters.</summary>
    public string? Reply { get; set; }

    /// <summary>SHA-256 of the log host, the time and the raw line (and the recipient: a qmgr "expired" line names several).</summary>
    public required byte[] LineHash { get; set; }

    public const int MaxReplyLength = 1000;
}

/// <summary>One SASL login (success or failure) read from one MTA log line; <see cref="MtaLogLoginHour"/> is derived from these.</summary>
public sealed class MtaLogLogin
{
    public long Id { get; set; }
    public long FileId { get; set; }
    public required string LogHost { get; set; }
    public required string Instance { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Login name; null when a failure does not name it.</summary>
    public string? User { get; set; }

    public string? ClientHost { get; set; }
    public IPAddress? ClientIp { get; set; }
    public string? Method { get; set; }
    public bool Succeeded { get; set; }
    public string? Detail { get; set; }
    public required byte[] LineHash { get; set; }
}

public sealed class MtaLogDeliveryConfiguration : IEntityTypeConfiguration<MtaLogDelivery>
{
    public void Configure(EntityTypeBuilder<MtaLogDelivery> builder)
    {
        builder.ToTable("mta_log_deliveries");
        builder.Property(x => x.LogHost).HasMaxLength(255);
        builder.Property(x => x.Instance).HasMaxLength(100);
        builder.Property(x => x.Program).HasMaxLength(100);
        builder.Property(x => x.Transport).HasMaxLength(100);
        builder.Property(x => x.LocalIp).HasColumnType("inet");
        builder.Property(x => x.Recipient).HasMaxLength(320);
        builder.Property(x => x.Sender).HasMaxLength(320);
        builder.Property(x => x.SenderDomain).HasMaxLength(255);
        builder.Property(x => x.MessageId).HasMaxLength(500);
        builder.Property(x => x.QueueId).HasMaxLength(64);
        builder.Property(x => x.SubmittedBy).HasMaxLength(320);
        builder.Property(x => x.RelayHost).HasMaxLength(255);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.EnhancedStatus).HasMaxLength(16);
        builder.Property(x => x.Command).HasMaxLength(16);
        builder.Property(x => x.Provider).HasMaxLength(64);
        builder.Property(x => x.ProviderCode).HasMaxLength(32);
        builder.Property(x => x.Reason).HasMaxLength(32);
        builder.Property(x => x.Blocklist).HasMaxLength(255);
        builder.Property(x => x.Reply).HasMaxLength(MtaLogDelivery.MaxReplyLength);
        builder.Property(x => x.LineHash).HasMaxLength(32);
        builder.HasIndex(x => x.LineHash).IsUnique();
        builder.HasIndex(x => new { x.SendingIpId, x.At });
        // The bounce explorer's filters by provider code, reason, and time alone (Evidence/BounceExplorer).
        builder.HasIndex(x => new { x.ProviderCode, x.At });
        builder.HasIndex(x => new { x.Reason, x.At });
        builder.HasIndex(x => x.At);
        builder.HasIndex(x => new { x.LogHost, x.Instance });
        builder.HasIndex(x => x.FileId);
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MtaLogLoginConfiguration : IEntityTypeConfiguration<MtaLogLogin>
{
    public void Configure(EntityTypeBuilder<MtaLogLogin> builder)
    {
        builder.ToTable("mta_log_logins");
        builder.Property(x => x.LogHost).HasMaxLength(255);
        builder.Property(x => x.Instance).HasMaxLength(100);
        builder.Property(x => x.User).HasMaxLength(320);
        builder.Property(x => x.ClientHost).HasMaxLength(255);
        builder.Property(x => x.ClientIp).HasColumnType("inet");
        builder.Property(x => x.Method).HasMaxLength(64);
        builder.Property(x => x.Detail).HasMaxLength(500);
        builder.Property(x => x.LineHash).HasMaxLength(32);
        builder.HasIndex(x => x.LineHash).IsUnique();
        builder.HasIndex(x => new { x.LogHost, x.At });
        // Retention removes the lines before a cutoff, a batch at a time.
        builder.HasIndex(x => x.At);
        builder.HasIndex(x => x.FileId);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}
