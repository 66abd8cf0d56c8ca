namespace Deliverability.Core.Providers;

/// <summary>
/// Provider rejection codes as data (sources and confidence: docs/knowledge mailbox-providers.md, sections A and C).
/// Provider names match <c>RecipientResult.Provider</c> and <see cref="ReceiverCatalog"/> keys: "outlook.com", "microsoft365",
/// "gmail", "yahoo", "apple", "orange", "spectrum", "cox", "comcast", "godaddy", "facebook", "t-online".
/// </summary>
public static class ProviderCodeCatalog
{
    public const string OutlookSenderSupportUrl = "https://support.microsoft.com/supportrequestform/8ad563e3-288e-2a61-8122-3ba03d6b8d75";
    public const string Microsoft365DelistUrl = "https://sender.office.com";
    public const string Microsoft365DelistEmail = "mailto:delist@messaging.microsoft.com";
    public const string SpamhausLookupUrl = "https://check.spamhaus.org/";
    public const string GmailSenderContactUrl = "https://support.google.com/mail/contact/gmail_bulk_sender_escalation";
    public const string YahooSenderHubUrl = "https://senders.yahooinc.com/";
    public const string AppleIcloudAdmin = "mailto:icloudadmin@apple.com";
    public const string SpectrumCodesUrl = "https://www.spectrum.net/support/internet/understanding-email-error-codes";
    public const string OrangePostmasterUrl = "https://postmaster.orange.fr/";
    public const string TOnlineContact = "mailto:tosa@rx.t-online.de";
    public const string TOnlineDialContact = "mailto:toda@rx.t-online.de";

    private const string Outlook = "outlook.com";
    private const string M365 = "microsoft365";

    private static readonly ProviderCode[] Codes = Build();

    private static readonly Dictionary<(string, string), ProviderCode> ByKey =
        Codes.ToDictionary(c => (c.Provider, c.Code.ToUpperInvariant()));

    public static IReadOnlyList<ProviderCode> All => Codes;

    /// <summary>The entry for a provider's code (case-insensitive), or null. Microsoft 365 ranges (5.7.606-649, 4.7.500-699) resolve to their range entry.</summary>
    public static ProviderCode? Find(string? provider, string? code)
    {
        if (provider is null || code is null)
        {
            return null;
        }

        var key = code.Trim().ToUpperInvariant();
        if (ByKey.TryGetValue((provider, key), out var found))
        {
            return found;
        }

        if (provider is M365 or Outlook && TryRange(key, out var range) && ByKey.TryGetValue((provider, range), out var ranged))
        {
            return ranged;
        }

        // Spectrum writes AUP#In-1310, AUP#O-1000...: the four-digit number falls in a documented range.
        if (provider == "spectrum" && SpectrumNumber(key) is { } number)
        {
            foreach (var entry in Codes)
            {
                if (entry.Provider == "spectrum" && SpectrumRange(entry.Code) is var (low, high) && number >= low && number <= high)
                {
                    return entry;
                }
            }
        }

        // Cox IPBLnnnn/URLBLnnn and Comcast BLnnnnnn/RLnnnnnn are bit fields: the prefix carries the meaning.
        if (provider is "cox" or "comcast" or "t-online" && Prefix(key) is { } prefix && ByKey.TryGetValue((provider, prefix), out var family))
        {
            return family;
        }

        if (provider is "godaddy" && key.StartsWith("IB", StringComparison.Ordinal) && int.TryParse(key.AsSpan(2), out var ib))
        {
            foreach (var entry in Codes)
            {
                if (entry.Provider == "godaddy" && entry.Code.Contains('-', StringComparison.Ordinal) && GoDaddyRange(entry.Code) is var (low, high) && ib >= low && ib <= high)
                {
                    return entry;
                }
            }
        }

        // Orange/La Poste write LPN007_416, OFR_506...: the last three digits carry the meaning.
        if (provider == "orange" && key.Length >= 3 && ByKey.TryGetValue((provider, key[^3..]), out var orange))
        {
            return orange;
        }

        return null;
    }

    private static string? Prefix(string code)
    {
        var letters = code.AsSpan().IndexOfAnyInRange('0', '9');
        return letters > 0 ? code[..letters] : null;
    }

    private static (int Low, int High)? GoDaddyRange(string code)
    {
        var parts = code.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0].AsSpan(2), out var low) && int.TryParse(parts[1], out var high) ? (low, high) : null;
    }

    private static int? SpectrumNumber(string code)
    {
        var digits = code.Length >= 4 ? code[^4..] : string.Empty;
        return int.TryParse(digits, out var number) ? number : null;
    }

    private static (int Low, int High)? SpectrumRange(string code)
    {
        var parts = code.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out var low) && int.TryParse(parts[1], out var high) ? (low, high)
            : int.TryParse(code, out var single) ? (single, single) : null;
    }

    private static bool TryRange(string code, out string range)
    {
        range = string.Empty;
        if (code.Length < 7 || code[1] != '.' || code[3] != '.' || !int.TryParse(code.AsSpan(4), out var detail))
        {
            return false;
        }

        range = code[0] switch
        {
            '5' when code[2] == '7' && detail is >= 606 and <= 649 => "5.7.606-649",
            '5' when code[2] == '7' && detail is >= 700 and <= 749 => "5.7.700-749",
            '4' when code[2] == '7' && detail is >= 500 and <= 699 && detail is not (650 or 651 or 652) => "4.7.500-699",
            '4' when code[2] == '7' && detail is >= 850 and <= 899 => "4.7.850-899",
            _ => string.Empty,
        };
        return range.Length > 0;
    }

    private static ProviderCode[] Build() => [.. MicrosoftCodes.All, .. ConsumerMailCodes.All, .. IspCodes.All];
}
