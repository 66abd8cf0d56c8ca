using System.Globalization;
using MimeKit;

namespace Deliverability.IntegrationTests.Alerts;

/// <summary>
/// The real SMTP server scripts/smtp-sink-up.sh starts (aiosmtpd) on 127.0.0.1:$DELIVERABILITY_SMTP_SINK_PORT (default 55025),
/// which writes each message it receives as a file under .data/smtp-sink/new of the repository.
/// </summary>
public static class SmtpSink
{
    public static int Port => Environment.GetEnvironmentVariable("DELIVERABILITY_SMTP_SINK_PORT") is { Length: > 0 } port
        ? int.Parse(port, CultureInfo.InvariantCulture) : 55025;

    public static string Directory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Deliverability.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("No Deliverability.sln above the test binaries."), ".data", "smtp-sink", "new");
        }
    }

    /// <summary>
    /// The messages the sink received for <paramref name="recipient"/> (unique per test database: alert ids repeat across
    /// databases) and these alerts (header X-Deliverability-Alert), read from its files.
    /// </summary>
    public static IReadOnlyList<MimeMessage> MessagesFor(string recipient, IEnumerable<long> alertIds)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new InvalidOperationException($"No SMTP sink output at {Directory}: start it with scripts/smtp-sink-up.sh (./test.sh does).");
        }

        var ids = alertIds.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var messages = new List<MimeMessage>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var message = MimeMessage.Load(file);
            if (message.Headers["X-Deliverability-Alert"] is { } id && ids.Contains(id.Trim())
                && message.To.Mailboxes.Any(m => string.Equals(m.Address, recipient, StringComparison.OrdinalIgnoreCase)))
            {
                messages.Add(message);
            }
        }

        return messages;
    }
}
