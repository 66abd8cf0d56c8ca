namespace Deliverability.Core.Providers;

/// <summary>How the parser's provider keys ("outlook.com", "microsoft365", ...) are shown to people.</summary>
public static class ProviderNames
{
    public static string Display(string? provider) => provider switch
    {
        null or "" => "an unknown provider",
        "outlook.com" => "Outlook.com",
        "microsoft365" => "Microsoft 365",
        "gmail" => "Gmail",
        "google-workspace" => "Google Workspace",
        "yahoo" => "Yahoo",
        "aol" => "AOL",
        "apple" => "iCloud Mail",
        "orange" => "Orange",
        "spectrum" => "Spectrum",
        "comcast" => "Comcast",
        "gmx" => "GMX / WEB.DE",
        "t-online" => "T-Online",
        _ => provider,
    };
}
