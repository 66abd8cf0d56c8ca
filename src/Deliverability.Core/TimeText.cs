using System.Globalization;

namespace Deliverability.Core;

/// <summary>How the product writes a moment and an age, on every page, in every text it composes: always UTC, always invariant.</summary>
public static class TimeText
{
    /// <summary>"3 Mar 2026 08:00 UTC".</summary>
    public static string Full(DateTimeOffset time) => time.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"3 Mar 08:00 UTC", where the year is plain from the context (the last weeks of evidence).</summary>
    public static string WithoutYear(DateTimeOffset time) => time.UtcDateTime.ToString("d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"3 Mar 2026 08:00:15 UTC", for uploads and batches, where seconds tell runs apart.</summary>
    public static string WithSeconds(DateTimeOffset time) => time.UtcDateTime.ToString("d MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"just now", "12 min ago", "5 h ago", "3 d ago".</summary>
    public static string Ago(DateTimeOffset time, DateTimeOffset now)
    {
        var age = now - time;
        return age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
    }
}
