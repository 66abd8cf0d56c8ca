using System.Text;
using Deliverability.Core.Logs;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.Core.Tests.Logs;

public class MtaLogReaderTests
{
    [Fact]
    public void Read_WhenSyslogLinesCrossNewYear_GivesEachLineTheLatestYearNotInTheFuture()
    {
        var (entries, _) = LogFixture.Read("postfix-new-year.log", reference: new DateTimeOffset(2027, 1, 2, 8, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 59, 58, TimeSpan.Zero), entries[0].Time);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 3, TimeSpan.Zero), entries[1].Time);
    }

    [Fact]
    public void Read_WhenReferenceIsMidYear_KeepsTheReferenceYear()
    {
        var (entries, _) = LogFixture.Read("postfix-new-year.log", reference: new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(2026, entries[0].Time.Year);
        Assert.Equal(2027, entries[1].Time.Year);
    }

    [Fact]
    public void Read_WhenLineIsOn29February_PutsItInTheLatestLeapYear()
    {
        const string line = "Feb 29 10:00:00 mx1 postfix/smtp[1]: 6D9E4F3B55: to=<v@example.net>, relay=none, dsn=5.0.0, status=bounced (no)\n";

        var (entries, _) = LogFixture.ReadText(new StringReader(line), reference: new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 10, 0, 0, TimeSpan.Zero), Assert.Single(entries).Time);
    }

    [Fact]
    public void Read_WhenLogHasALocalOffset_AppliesItToSyslogTimes()
    {
        var options = new MtaLogReadOptions { ReferenceTime = LogFixture.Reference, LocalOffset = TimeSpan.FromHours(-5) };
        using var reader = new StringReader("Nov 27 14:00:05 mx1 postfix/smtp[1]: 6D9E4F3B54: to=<w@example.net>, relay=none, dsn=4.4.1, status=deferred (connect to mx.example.net[198.51.100.25]:25: Connection refused)\n");

        var entry = Assert.Single(MtaLogReader.Read(reader, options));

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 19, 0, 5, TimeSpan.Zero), entry.Time.ToUniversalTime());
    }

    [Fact]
    public void At_WhenGivenAClock_UsesItsTimeAsReference()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 1, 2, 8, 0, 0, TimeSpan.Zero));

        Assert.Equal(clock.GetUtcNow(), MtaLogReadOptions.At(clock).ReferenceTime);
    }

    [Fact]
    public void Read_WhenLogHasGarbage_SkipsOtherLinesAndCountsBrokenDeliveryLines()
    {
        var (entries, counters) = LogFixture.Read("garbage.log");

        var entry = Assert.Single(entries);
        Assert.Equal(8, entry.LineNumber);
        Assert.Equal(8, counters.LinesRead);
        Assert.Equal(1, counters.Entries);
        Assert.Equal(5, counters.Skipped);
        Assert.Equal(2, counters.Unreadable);
        Assert.Collection(
            counters.UnreadableExamples,
            first =>
            {
                Assert.Equal(5, first.LineNumber);
                Assert.Contains("frobnicated", first.Problem, StringComparison.Ordinal);
            },
            second =>
            {
                Assert.Equal(6, second.LineNumber);
                Assert.Contains("time stamp", second.Problem, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void Read_WhenLastLineIsCutOff_ReportsItAsUnreadableAndUnterminated()
    {
        var (entries, counters) = LogFixture.Read("truncated.log");

        Assert.Single(entries);
        Assert.Equal(2, counters.LinesRead);
        Assert.True(counters.LastLineUnterminated);
        var unreadable = Assert.Single(counters.UnreadableExamples);
        Assert.Equal(2, unreadable.LineNumber);
        Assert.Equal("no status=", unreadable.Problem);
    }

    [Fact]
    public void Read_WhenLineIsLongerThanTheCap_ReportsItWithoutReadingIt()
    {
        var longLine = "Nov 27 14:00:05 mx1 postfix/smtp[1]: 6D9E4F3B54: to=<w@example.net>, relay=none, dsn=5.0.0, status=bounced (" + new string('x', 20_000) + ")";
        var text = longLine + "\nNov 27 14:00:06 mx1 postfix/smtp[1]: 6D9E4F3B55: to=<v@example.net>, relay=none, dsn=5.0.0, status=bounced (no)\n";

        var (entries, counters) = LogFixture.ReadText(new StringReader(text));

        Assert.Equal("v@example.net", Assert.IsType<DeliveryAttempt>(Assert.Single(entries)).Recipient);
        var unreadable = Assert.Single(counters.UnreadableExamples);
        Assert.Equal(1, unreadable.LineNumber);
        Assert.Contains("longer than", unreadable.Problem, StringComparison.Ordinal);
        Assert.Equal(500, unreadable.Line.Length);
    }

    [Fact]
    public void Read_WhenLinesEndWithCrLfOrCr_ReadsEachLineOnce()
    {
        const string line = "Nov 27 14:00:06 mx1 postfix/smtp[1]: 6D9E4F3B55: to=<v@example.net>, relay=none, dsn=5.0.0, status=bounced (no)";

        var (entries, counters) = LogFixture.ReadText(new StringReader(line + "\r\n" + line + "\r" + line + "\n\n"));

        Assert.Equal(3, entries.Count);
        Assert.Equal(4, counters.LinesRead);
        Assert.False(counters.LastLineUnterminated);
    }

    [Fact]
    public void Read_WhenEnumeratedTwice_Throws()
    {
        var read = MtaLogReader.Read(new StringReader(""), new MtaLogReadOptions { ReferenceTime = LogFixture.Reference });
        _ = read.ToList();

        Assert.Throws<InvalidOperationException>(() => read.ToList());
    }

    [Fact]
    public void Read_WhenTrackedMessagesAreFull_ForgetsTheOldestSender()
    {
        var text = new StringBuilder();
        text.Append("Nov 27 14:00:00 mx1 postfix/qmgr[1]: AAAAA00001: from=<first@example.com>, size=1, nrcpt=1 (queue active)\n");
        text.Append("Nov 27 14:00:00 mx1 postfix/qmgr[1]: AAAAA00002: from=<second@example.com>, size=1, nrcpt=1 (queue active)\n");
        text.Append("Nov 27 14:00:00 mx1 postfix/qmgr[1]: AAAAA00003: from=<third@example.com>, size=1, nrcpt=1 (queue active)\n");
        foreach (var id in new[] { "AAAAA00001", "AAAAA00003" })
        {
            text.Append("Nov 27 14:00:01 mx1 postfix/smtp[2]: ").Append(id).Append(": to=<r@example.net>, relay=none, dsn=5.0.0, status=bounced (no)\n");
        }

        var options = new MtaLogReadOptions { ReferenceTime = LogFixture.Reference, MaxTrackedMessages = 2 };
        var attempts = MtaLogReader.Read(new StringReader(text.ToString()), options).OfType<DeliveryAttempt>().ToList();

        Assert.Null(attempts[0].Sender);
        Assert.Equal("third@example.com", attempts[1].Sender);
    }

    [Fact]
    public void Read_WhenLogIsLarge_StreamsEntriesBeforeTheEnd()
    {
        var reader = new EndlessLogReader();

        var first = MtaLogReader.Read(reader, new MtaLogReadOptions { ReferenceTime = LogFixture.Reference }).Take(3).ToList();

        Assert.Equal(3, first.Count);
        Assert.True(reader.CharsServed < 100_000);
    }

    /// <summary>A log that never ends: reading it to the end would never return.</summary>
    private sealed class EndlessLogReader : TextReader
    {
        private const string Line = "Nov 27 14:00:06 mx1 postfix/smtp[1]: 6D9E4F3B55: to=<v@example.net>, relay=none, dsn=5.0.0, status=bounced (no)\n";
        private int _position;

        public long CharsServed { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            for (var i = 0; i < count; i++)
            {
                buffer[index + i] = Line[_position];
                _position = (_position + 1) % Line.Length;
            }

            CharsServed += count;
            return count;
        }
    }
}
