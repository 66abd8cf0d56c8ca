namespace Deliverability.Core.Providers;

/// <summary>How the parser's provider keys ("outlook.com", "microsoft365", ...) are shown to people.</summary>
public static class ProviderNames
{
    public static string Display(string? provider) => provider switch
    {
        null or "" => "an unknown provider",
        "yahoo" => "Yahoo",
        "aol" => "AOL",
        _ => ReceiverCatalog.Find(provider)?.Name ?? provider,
    };
}
