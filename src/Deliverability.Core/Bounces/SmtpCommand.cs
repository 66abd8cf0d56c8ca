namespace Deliverability.Core.Bounces;

/// <summary>Which SMTP command a rejection answered, when the text says so.</summary>
internal static class SmtpCommand
{
    public static string? Find(string? diagnostic)
    {
        if (diagnostic is null)
        {
            return null;
        }

        var text = diagnostic.ToLowerInvariant();
        if (text.Contains("end of data", StringComparison.Ordinal) || text.Contains("after data", StringComparison.Ordinal) ||
            text.Contains("data command", StringComparison.Ordinal) || text.Contains(">>> data", StringComparison.Ordinal) ||
            text.Contains("message body", StringComparison.Ordinal))
        {
            return "DATA";
        }

        if (text.Contains("rcpt to", StringComparison.Ordinal))
        {
            return "RCPT";
        }

        if (text.Contains("mail from", StringComparison.Ordinal))
        {
            return "MAIL";
        }

        return null;
    }
}
