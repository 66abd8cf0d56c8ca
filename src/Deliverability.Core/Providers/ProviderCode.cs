namespace Deliverability.Core.Providers;

/// <summary>What a rejection code points to on the sender's side.</summary>
public enum ProviderCodeCause
{
    RateLimit,
    ConnectionLimit,
    Reputation,
    Content,
    NamespaceMining,
    OpenRelay,
    Complaints,
    DynamicIp,
    InfectedHost,
    Authentication,
    ReverseDns,
    Blocklist,
    RecipientPolicy,
    RecipientUnknown,
    Tls,
    ServerBusy,
}

/// <summary>Where to go to get an IP unblocked, or what to fix when no delisting exists.</summary>
public enum DelistingRoute
{
    /// <summary>No request to make: fix the cause (slow down, authenticate, ...) and retry.</summary>
    FixAndRetry,
    OutlookSenderSupport,
    Microsoft365DelistPortal,
    Microsoft365DelistEmail,
    Spamhaus,
    GmailSenderContact,
    YahooSenderSupport,
    AppleIcloudAdmin,
    ContactRecipient,
    OrangePostmaster,
}

/// <summary>
/// One provider-specific rejection code: what it means (in our words), whether it is temporary, the cause it points to,
/// the Sisimai-compatible reason it implies, and how to get out of it.
/// </summary>
public sealed record ProviderCode(
    string Provider,
    string Code,
    string Meaning,
    bool Temporary,
    ProviderCodeCause Cause,
    string Reason,
    DelistingRoute Route,
    string? RouteUrl);
