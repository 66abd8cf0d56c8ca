using Deliverability.Core.Logs;

namespace Deliverability.Core.Tests.Logs;

/// <summary>Reads a log fixture from TestData/Logs with a fixed reference time.</summary>
internal static class LogFixture
{
    public static readonly DateTimeOffset Reference = new(2026, 11, 28, 16, 0, 0, TimeSpan.Zero);

    public static (List<MtaLogEntry> Entries, MtaLogCounters Counters) Read(string name, DateTimeOffset? reference = null, string? hostName = null)
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "TestData", "Logs", name));
        return ReadText(reader, reference, hostName);
    }

    public static (List<MtaLogEntry> Entries, MtaLogCounters Counters) ReadText(TextReader reader, DateTimeOffset? reference = null, string? hostName = null)
    {
        var read = MtaLogReader.Read(reader, new MtaLogReadOptions { ReferenceTime = reference ?? Reference, HostName = hostName });
        var entries = read.ToList();
        return (entries, read.Counters);
    }

    public static DeliveryAttempt Delivery(this List<MtaLogEntry> entries, string recipient) =>
        Assert.Single(entries.OfType<DeliveryAttempt>(), d => d.Recipient == recipient);
}
