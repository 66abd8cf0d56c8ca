using System.Globalization;

namespace Deliverability.Web.Features.Reports;

/// <summary>How report figures are written: a share with its counts, so a rate never hides how little it rests on.</summary>
public static class ReportFigures
{
    public static string Rate(long part, long whole) => whole == 0
        ? "unknown (no messages)"
        : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.#}% ({part} of {whole})");

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
