namespace Deliverability.Core.Bounces;

/// <summary>What one raw message turned out to be, and the recipients it reports on.</summary>
public sealed record ParsedMessage(MessageKind Kind, IReadOnlyList<RecipientResult> Recipients, string? Error)
{
    public static ParsedMessage Failed(MessageKind kind, string error) => new(kind, [], error);

    /// <summary>The report's own Date header, when it has a readable one.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>The report's Subject, decoded.</summary>
    public string? Subject { get; init; }
}

/// <summary>The kind of a whole message.</summary>
public enum MessageKind
{
    Bounce,
    Feedback,
    AutoReply,
    NotABounce,
    Unreadable,
    Empty,
}

/// <summary>The kind of one recipient result.</summary>
public enum BounceKind
{
    Bounce,
    Delay,
    Feedback,
    AutoReply,
    Delivered,
}

/// <summary>One DKIM-Signature of the returned original message: its signing domain (d=) and selector (s=).</summary>
public sealed record DkimSignatureRef(string Domain, string Selector);

/// <summary>What a bounce, complaint or auto-reply says about one recipient.</summary>
public sealed record RecipientResult
{
    /// <summary>The failed address: the DSN's Final-Recipient (the address the last MTA tried), lower case.</summary>
    public required string Recipient { get; init; }

    /// <summary>The DSN's Original-Recipient (the address as the sender wrote it), when the report gives one.</summary>
    public string? OriginalRecipient { get; init; }
    public string? Action { get; init; }
    public string? Status { get; init; }
    public int? ReplyCode { get; init; }
    public string? Diagnostic { get; init; }
    public string? RemoteMta { get; init; }
    public string? ReportingMta { get; init; }

    /// <summary>Sisimai-compatible reason name, lower case (userunknown, blocked, feedback, vacation, ...).</summary>
    public required string Reason { get; init; }
    public bool HardBounce { get; init; }
    public BounceKind Kind { get; init; }

    /// <summary>The rejecting side, e.g. "outlook.com", "microsoft365", "gmail", "yahoo", "apple"; null when unknown.</summary>
    public string? Provider { get; init; }
    public string? ProviderCode { get; init; }
    public System.Net.IPAddress? SendingIp { get; init; }

    /// <summary>Where <see cref="SendingIp"/> was found: "diagnostic", "feedback-report" or "received-header".</summary>
    public string? SendingIpSource { get; init; }
    public string? Sender { get; init; }
    public string? SenderDomain { get; init; }
    public string? OriginalMessageId { get; init; }
    public IReadOnlyList<DkimSignatureRef> Dkim { get; init; } = [];
    /// <summary>DSN Arrival-Date: when the original message entered the reporting MTA's queue (it may have been retried for hours since).</summary>
    public DateTimeOffset? ArrivalDate { get; init; }

    /// <summary>When the reporting MTA last tried this recipient (DSN Last-Attempt-Date, the SES event time).</summary>
    public DateTimeOffset? AttemptedAt { get; init; }
    public string? FeedbackType { get; init; }
}
