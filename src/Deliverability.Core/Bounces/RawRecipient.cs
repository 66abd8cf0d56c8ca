namespace Deliverability.Core.Bounces;

/// <summary>What a reader found for one recipient, before classification.</summary>
internal sealed record RawRecipient
{
    public required string Recipient { get; init; }
    public string? OriginalRecipient { get; init; }
    public string? Action { get; init; }
    public string? Status { get; init; }
    public int? ReplyCode { get; init; }
    public string? Diagnostic { get; init; }
    public string? DiagnosticType { get; init; }
    public string? RemoteMta { get; init; }
    public string? ReportingMta { get; init; }
    public DateTimeOffset? ArrivalDate { get; init; }

    /// <summary>The report names this one recipient only, so whatever its text explains is about this recipient.</summary>
    public bool SoleRecipient { get; init; }

    /// <summary>When the reporting MTA last tried this recipient (DSN Last-Attempt-Date, the SES event time): when the refusal happened.</summary>
    public DateTimeOffset? AttemptedAt { get; init; }
    public string? FeedbackType { get; init; }
    public BounceKind? Kind { get; init; }
    public string? Reason { get; init; }
    public System.Net.IPAddress? SendingIp { get; init; }
    public string? SendingIpSource { get; init; }
}
