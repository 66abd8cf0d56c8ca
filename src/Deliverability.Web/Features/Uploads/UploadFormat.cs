using System.Globalization;
using Deliverability.Core;
using Deliverability.Core.Ingestion;

namespace Deliverability.Web.Features.Uploads;

/// <summary>How the upload pages write times, sizes and counts.</summary>
public static class UploadFormat
{
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? TimeText.WithSeconds(t) : "";

    public static string Bytes(long bytes) => UploadedFileReader.FormatBytes(bytes);

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
