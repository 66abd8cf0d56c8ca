using System.Globalization;

namespace Deliverability.Web.Features.Settings;

/// <summary>How the storage settings write retention choices and days.</summary>
public static class StorageFormat
{
    public static string Choice(int? months) => months switch
    {
        null => "Everything",
        12 => "1 year",
        24 or 36 or 60 => $"{months / 12} years",
        _ => $"{months} months",
    };

    public static string Day(DateTimeOffset at) => at.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Month(DateTimeOffset at) => at.ToString("MMM yyyy", CultureInfo.InvariantCulture);
}
