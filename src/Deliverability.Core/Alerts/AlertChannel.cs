using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Alerts;

public enum AlertChannelType
{
    Email,

    /// <summary>A JSON POST signed with HMAC-SHA256 (X-Deliverability-Signature).</summary>
    Webhook,

    /// <summary>A Slack incoming webhook (text and blocks).</summary>
    Slack,

    /// <summary>A Microsoft Teams incoming webhook (MessageCard).</summary>
    Teams,
}

/// <summary>How the SMTP connection is secured: none, TLS from the first byte (465), or STARTTLS after the greeting (587).</summary>
public enum SmtpTls
{
    None,
    Ssl,
    StartTls,
}

/// <summary>
/// Where alerts go (table alert_channels). Secrets (the SMTP password, the webhook URL, which carries the receiver's token,
/// and the webhook signing secret) are stored encrypted with Data Protection and never shown again; only the URL's host is
/// kept in clear for the settings page.
/// </summary>
public sealed class AlertChannel
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public AlertChannelType Type { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    public string? SmtpHost { get; set; }
    public int? SmtpPort { get; set; }
    public SmtpTls? SmtpTls { get; set; }
    public string? SmtpUser { get; set; }
    public string? SmtpPasswordProtected { get; set; }
    public string? MailFrom { get; set; }

    /// <summary>Recipients, comma-separated.</summary>
    public string? MailTo { get; set; }

    public string? UrlProtected { get; set; }

    /// <summary>The webhook URL's host, for the settings page ("hooks.slack.com").</summary>
    public string? UrlHost { get; set; }

    public string? SigningSecretProtected { get; set; }

    /// <summary>"smtp.example.com:587 → ops@example.com" or "hooks.slack.com": what the settings page shows, never a secret.</summary>
    public string Destination => Type == AlertChannelType.Email ? $"{SmtpHost}:{SmtpPort} → {MailTo}" : UrlHost ?? "unknown";
}

public sealed class AlertChannelConfiguration : IEntityTypeConfiguration<AlertChannel>
{
    public void Configure(EntityTypeBuilder<AlertChannel> builder)
    {
        builder.ToTable("alert_channels");
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.CreatedBy).HasMaxLength(256);
        builder.Property(x => x.SmtpHost).HasMaxLength(255);
        builder.Property(x => x.SmtpTls).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.SmtpUser).HasMaxLength(255);
        builder.Property(x => x.SmtpPasswordProtected).HasMaxLength(4000);
        builder.Property(x => x.MailFrom).HasMaxLength(320);
        builder.Property(x => x.MailTo).HasMaxLength(2000);
        builder.Property(x => x.UrlProtected).HasMaxLength(8000);
        builder.Property(x => x.UrlHost).HasMaxLength(255);
        builder.Property(x => x.SigningSecretProtected).HasMaxLength(4000);
        builder.HasIndex(x => x.Name).IsUnique();
        builder.Ignore(x => x.Destination);
    }
}
