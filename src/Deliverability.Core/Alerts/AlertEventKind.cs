namespace Deliverability.Core.Alerts;

/// <summary>What happened: one kind per rule. Stored as its name; never rename a value.</summary>
public enum AlertEventKind
{
    /// <summary>The diagnosis found a provider blocking an IP it did not block at the previous diagnosis.</summary>
    IpBlocked,

    /// <summary>The diagnosis no longer finds the block of the previous diagnosis.</summary>
    IpUnblocked,

    /// <summary>A blocklist check turned from not listed to listed.</summary>
    BlocklistListed,

    /// <summary>A blocklist check turned from listed to not listed.</summary>
    BlocklistDelisted,

    /// <summary>An SPF, DKIM, DMARC or PTR check turned from pass to fail.</summary>
    CheckFailing,

    /// <summary>A provider code the IP never had before.</summary>
    NewProviderCode,

    /// <summary>A delisting case's next answer is due within 24 hours.</summary>
    DelistingAnswerDue,

    /// <summary>A delisting case's answer is overdue.</summary>
    DelistingAnswerOverdue,

    /// <summary>A bounce mailbox could not be read (connection, authentication); raised by the mailbox poller.</summary>
    MailboxFailing,

    /// <summary>"Send test alert" on the settings page: never stacked, never muted, one channel.</summary>
    Test,
}

public static class AlertEventKinds
{
    /// <summary>The kinds a rule can be set for, in the order the settings page lists them.</summary>
    public static IReadOnlyList<AlertEventKind> Ruled { get; } = Enum.GetValues<AlertEventKind>().Where(k => k != AlertEventKind.Test).ToList();

    /// <summary>"An IP newly blocked by a provider", as the rules table names the kind.</summary>
    public static string Describe(AlertEventKind kind) => kind switch
    {
        AlertEventKind.IpBlocked => "An IP newly blocked by a provider",
        AlertEventKind.IpUnblocked => "A provider no longer blocking an IP",
        AlertEventKind.BlocklistListed => "An IP newly listed on a blocklist",
        AlertEventKind.BlocklistDelisted => "An IP delisted from a blocklist",
        AlertEventKind.CheckFailing => "An SPF, DKIM, DMARC or PTR check turning from pass to fail",
        AlertEventKind.NewProviderCode => "A provider code an IP never had before",
        AlertEventKind.DelistingAnswerDue => "A delisting answer due within 24 hours",
        AlertEventKind.DelistingAnswerOverdue => "A delisting answer overdue",
        AlertEventKind.MailboxFailing => "A bounce mailbox failing",
        AlertEventKind.Test => "Test alert",
        _ => kind.ToString(),
    };

    /// <summary>"IPs blocked", for a summary's title: "3 IPs blocked by a provider".</summary>
    public static string Plural(AlertEventKind kind) => kind switch
    {
        AlertEventKind.IpBlocked => "IPs newly blocked by a provider",
        AlertEventKind.IpUnblocked => "IPs no longer blocked by a provider",
        AlertEventKind.BlocklistListed => "new blocklist listings",
        AlertEventKind.BlocklistDelisted => "blocklist delistings",
        AlertEventKind.CheckFailing => "checks turning from pass to fail",
        AlertEventKind.NewProviderCode => "new provider codes",
        AlertEventKind.DelistingAnswerDue => "delisting answers due within 24 hours",
        AlertEventKind.DelistingAnswerOverdue => "overdue delisting answers",
        AlertEventKind.MailboxFailing => "bounce mailbox failures",
        _ => "events",
    };
}
