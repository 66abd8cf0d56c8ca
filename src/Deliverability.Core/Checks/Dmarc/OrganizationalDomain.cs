namespace Deliverability.Core.Checks.Dmarc;

/// <summary>
/// A small, built-in approximation of the Organizational Domain: the last two labels, or the last three when the last two
/// are a known multi-label public suffix (co.uk, com.au, ...). This is NOT the Public Suffix List (RFC 7489) nor the
/// RFC 9989 DNS tree walk; it is right for ordinary company domains and wrong for private suffixes (e.g. github.io users).
/// </summary>
public static class OrganizationalDomain
{
    private static readonly HashSet<string> MultiLabelSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "sch.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au", "id.au",
        "co.nz", "org.nz", "net.nz", "govt.nz", "ac.nz",
        "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp",
        "com.br", "net.br", "org.br", "gov.br",
        "co.za", "org.za", "gov.za",
        "com.cn", "net.cn", "org.cn", "gov.cn",
        "com.mx", "org.mx", "gob.mx",
        "co.in", "net.in", "org.in", "gov.in", "ac.in",
        "com.ar", "com.tr", "com.tw", "com.hk", "com.sg", "com.my", "co.kr", "or.kr", "co.il", "org.il",
        "co.id", "or.id", "com.ph", "com.vn", "com.ua", "com.pl", "com.es", "co.th", "in.th",
    };

    public static string Of(string domain)
    {
        var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length <= 2) return string.Join('.', labels);
        var lastTwo = string.Join('.', labels[^2..]);
        return MultiLabelSuffixes.Contains(lastTwo) ? string.Join('.', labels[^3..]) : lastTwo;
    }
}
