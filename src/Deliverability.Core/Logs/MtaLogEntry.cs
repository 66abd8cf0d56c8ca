using System.Net;

namespace Deliverability.Core.Logs;

/// <summary>Which mail server wrote the line.</summary>
public enum MtaKind
{
    Postfix,
    Exim,
}

/// <summary>What the logging MTA reports for one delivery attempt to one recipient.</summary>
public enum DeliveryStatus
{
    Sent,
    Deferred,
    Bounced,
    Expired,
}

/// <summary>One mail delivery or login fact read from one log line.</summary>
public abstract record MtaLogEntry
{
    /// <summary>1-based line number in the log that was read.</summary>
    public required long LineNumber { get; init; }

    /// <summary>When the line was logged (UTC offset as given by the log or by <see cref="MtaLogReadOptions.LocalOffset"/>).</summary>
    public required DateTimeOffset Time { get; init; }

    public required MtaKind Mta { get; init; }

    /// <summary>Host name of the MTA that wrote the line (syslog host field, else <see cref="MtaLogReadOptions.HostName"/>).</summary>
    public string? Host { get; init; }

    /// <summary>Syslog program tag without the pid: "postfix/smtp", "postfix-out/smtp", "postfix/submission/smtpd", "exim".</summary>
    public required string Program { get; init; }

    /// <summary>The MTA instance: the part of <see cref="Program"/> before the first '/' ("postfix", "postfix-out", "exim").</summary>
    public required string Instance { get; init; }

    /// <summary>Postfix queue id or Exim message id, when the line has one.</summary>
    public string? QueueId { get; init; }

    /// <summary>The log line the entry was read from, as read (what identifies it when the log is uploaded again).</summary>
    public string Line { get; init; } = "";
}

/// <summary>One attempt to hand a message to a recipient's server (or the final verdict on it).</summary>
public sealed record DeliveryAttempt : MtaLogEntry
{
    /// <summary>Lower-cased recipient address.</summary>
    public required string Recipient { get; init; }

    /// <summary>Envelope sender, lower-cased, when the log named it earlier (Postfix qmgr from=, Exim &lt;=); null for the null sender or when unknown.</summary>
    public string? Sender { get; init; }

    public string? SenderDomain => Sender is null ? null : Sender[(Sender.LastIndexOf('@') + 1)..];

    /// <summary>Message-ID header (without angle brackets) when the log named it earlier.</summary>
    public string? MessageId { get; init; }

    /// <summary>Who submitted the message: SASL user (Postfix sasl_username, Exim A=) or local user (Exim U=).</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>Delivering daemon or transport: Postfix "smtp"/"lmtp"/"local"..., Exim T= ("remote_smtp").</summary>
    public string? Transport { get; init; }

    /// <summary>Remote server name ("outlook-com.olc.protection.outlook.com"), or Postfix's "local"/"private/dovecot-lmtp"; null for relay=none.</summary>
    public string? RelayHost { get; init; }

    public IPAddress? RelayIp { get; init; }

    /// <summary>The local address the connection was made from, when the log says so (Exim I=). Postfix never does: use <c>SendingIpMap</c>.</summary>
    public IPAddress? LocalIp { get; init; }

    public required DeliveryStatus Status { get; init; }

    /// <summary>Enhanced status code: Postfix dsn=, or the one found in the remote reply.</summary>
    public string? Dsn { get; init; }

    /// <summary>The remote server's reply ("550 5.7.1 Unfortunately, ..."), or the MTA's own explanation ("connect to ...: Connection timed out").</summary>
    public string? Reply { get; init; }

    public int? ReplyCode { get; init; }

    /// <summary>SMTP stage that was refused (CONN, HELO, MAIL, RCPT, DATA) when the log says so.</summary>
    public string? Command { get; init; }

    /// <summary>Mailbox provider, same identifiers as the bounce parser ("outlook.com", "microsoft365", "gmail", "yahoo", ...).</summary>
    public string? Provider { get; init; }

    /// <summary>Provider's own code ("S3150", "RP-001", "4.7.28", "TSS04", ...).</summary>
    public string? ProviderCode { get; init; }

    /// <summary>Bounce parser reason name ("blocked", "speeding", "userunknown", "delivered", ...).</summary>
    public required string Reason { get; init; }

    /// <summary>A Microsoft refusal aimed at the sending IP (S3150/S3140, RP/SC/DY/OU codes, 5.7.6xx, 4.7.65x, or a reputation/block refusal by protection.outlook.com).</summary>
    public bool IsMicrosoftBlock { get; init; }
}

/// <summary>A SASL / SMTP AUTH login to the MTA, successful or not.</summary>
public sealed record LoginAttempt : MtaLogEntry
{
    /// <summary>Login name; null when a failed attempt does not name it.</summary>
    public string? User { get; init; }

    public string? ClientHost { get; init; }

    public IPAddress? ClientIp { get; init; }

    /// <summary>Mechanism or authenticator: "PLAIN", "LOGIN", Exim "plain", "dovecot_login".</summary>
    public string? Method { get; init; }

    public required bool Succeeded { get; init; }

    /// <summary>The failure text the MTA logged ("authentication failure", "535 Incorrect authentication data").</summary>
    public string? Detail { get; init; }
}
