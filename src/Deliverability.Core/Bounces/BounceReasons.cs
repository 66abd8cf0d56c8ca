using System.Collections.Frozen;

namespace Deliverability.Core.Bounces;

/// <summary>
/// The bounce reason vocabulary: the names the parser stores in <c>reason</c> (the same words Sisimai uses, so results can be
/// compared). Stored values; never rename one without a data migration.
/// </summary>
public static class BounceReasons
{
    /// <summary>The receiver refused the sending IP or host (blocklist, IP reputation, missing rDNS policy, connection-level block).</summary>
    public const string Blocked = "blocked";
    /// <summary>The receiver refused the envelope sender or its domain.</summary>
    public const string Rejected = "rejected";
    /// <summary>The recipient's mailbox does not exist.</summary>
    public const string UserUnknown = "userunknown";
    /// <summary>The recipient's domain does not exist or has no host that accepts mail.</summary>
    public const string HostUnknown = "hostunknown";
    /// <summary>The recipient has moved to another address.</summary>
    public const string HasMoved = "hasmoved";
    /// <summary>The recipient's mailbox is over quota.</summary>
    public const string MailboxFull = "mailboxfull";
    /// <summary>The recipient's mailbox is disabled or suspended.</summary>
    public const string Suspend = "suspend";
    /// <summary>The recipient's domain accepts no mail at all (null MX, no MX).</summary>
    public const string NotAccept = "notaccept";
    /// <summary>The message was refused by a recipient-side filter (rules, forwarding, address not accepting from this sender).</summary>
    public const string Filtered = "filtered";
    /// <summary>The message was refused as spam by its content.</summary>
    public const string SpamDetected = "spamdetected";
    /// <summary>The message was refused for a virus or malware.</summary>
    public const string VirusDetected = "virusdetected";
    /// <summary>The message was refused by the receiver's local policy.</summary>
    public const string PolicyViolation = "policyviolation";
    /// <summary>The message was refused for its content or headers (not spam scoring).</summary>
    public const string ContentError = "contenterror";
    /// <summary>The message does not comply with RFC 5322/5321.</summary>
    public const string NotCompliantRfc = "notcompliantrfc";
    /// <summary>The sender's domain or IP is refused for poor reputation.</summary>
    public const string BadReputation = "badreputation";
    /// <summary>The receiver requires a PTR (reverse DNS) record for the sending IP.</summary>
    public const string RequirePtr = "requireptr";
    /// <summary>A security requirement failed (relay authentication, TLS, certificate).</summary>
    public const string SecurityError = "securityerror";
    /// <summary>Sender authentication failed (SPF, DKIM, DMARC).</summary>
    public const string AuthFailure = "authfailure";
    /// <summary>STARTTLS could not be negotiated.</summary>
    public const string FailedStartTls = "failedstarttls";
    /// <summary>The receiver refused to relay for the sender.</summary>
    public const string NoRelaying = "norelaying";
    /// <summary>Too many connections or messages at once: the receiver throttled the sender.</summary>
    public const string TooManyConn = "toomanyconn";
    /// <summary>The sender was sending too fast (rate limited).</summary>
    public const string Speeding = "speeding";
    /// <summary>The sender exceeded a sending limit of the recipient's system.</summary>
    public const string ExceedLimit = "exceedlimit";
    /// <summary>The message is larger than the receiver accepts.</summary>
    public const string MesgTooBig = "mesgtoobig";
    /// <summary>The message stayed in the queue until it expired without delivery.</summary>
    public const string Expired = "expired";
    /// <summary>A network or DNS failure between the sender and the receiver.</summary>
    public const string NetworkError = "networkerror";
    /// <summary>The receiving system failed (internal error, misconfiguration).</summary>
    public const string SystemError = "systemerror";
    /// <summary>The receiving system is out of disk space.</summary>
    public const string SystemFull = "systemfull";
    /// <summary>An SMTP syntax error in the session.</summary>
    public const string SyntaxError = "syntaxerror";
    /// <summary>A local mailer (program delivery) failed.</summary>
    public const string MailerError = "mailererror";
    /// <summary>The message is held, the receiver has not decided yet.</summary>
    public const string OnHold = "onhold";
    /// <summary>The message was delivered (a success DSN).</summary>
    public const string Delivered = "delivered";
    /// <summary>A feedback report (ARF complaint), not a bounce.</summary>
    public const string Feedback = "feedback";
    /// <summary>An auto-reply (vacation message), not a bounce.</summary>
    public const string Vacation = "vacation";
    /// <summary>The reason could not be determined from the bounce.</summary>
    public const string Undefined = "undefined";

    /// <summary>Every reason name.</summary>
    public static readonly FrozenSet<string> All = new[]
    {
        Blocked, Rejected, UserUnknown, HostUnknown, HasMoved, MailboxFull, Suspend, NotAccept, Filtered, SpamDetected,
        VirusDetected, PolicyViolation, ContentError, NotCompliantRfc, BadReputation, RequirePtr, SecurityError, AuthFailure,
        FailedStartTls, NoRelaying, TooManyConn, Speeding, ExceedLimit, MesgTooBig, Expired, NetworkError, SystemError,
        SystemFull, SyntaxError, MailerError, OnHold, Delivered, Feedback, Vacation, Undefined,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Reasons that are about the recipient (the address or its domain), not the sender.</summary>
    public static readonly FrozenSet<string> Recipient = new[]
    {
        UserUnknown, HostUnknown, HasMoved, MailboxFull, Suspend, NotAccept,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="reason"/> is one of the names above.</summary>
    public static bool IsKnown(string? reason) => reason is not null && All.Contains(reason);
}
