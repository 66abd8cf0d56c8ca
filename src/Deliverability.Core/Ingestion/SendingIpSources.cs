namespace Deliverability.Core.Ingestion;

/// <summary>
/// Where a bounce's sending IP came from (<c>bounces.sending_ip_source</c>), besides the parser's own words for where in the
/// message it found the address. Stored values; never rename one without a data migration.
/// </summary>
public static class SendingIpSources
{
    /// <summary>The message names the IP, and the parser did not say where.</summary>
    public const string Message = "message";

    /// <summary>The IP chosen on the upload form for bounces that name none.</summary>
    public const string Upload = "upload";

    /// <summary>An operator assigned the bounce to the IP (Uploads → Unattributed bounces); a re-parse keeps it.</summary>
    public const string Manual = "manual";

    public const string ReportingMtaRule = "rule:reporting-mta";
    public const string SenderDomainRule = "rule:sender-domain";
    public const string LogHostRule = "rule:log-host";
}
