using System.Text;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

public class MboxReaderTests
{
    [Fact]
    public void Read_WhenThreeMessages_YieldsThemInOrderWithIndexes()
    {
        var mbox = "From a@example.com Mon Mar  9 10:00:00 2026\nSubject: one\n\nbody one\n>From the past\n\n" +
                   "From b@example.com Mon Mar  9 10:01:00 2026\nSubject: two\n\nbody two\n\n" +
                   "From c@example.com Mon Mar  9 10:02:00 2026\nSubject: three\n\nbody three\n";
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(mbox));

        var messages = MboxReader.Read(stream).ToList();

        Assert.Equal([0, 1, 2], messages.Select(m => m.Index));
        Assert.Equal("Subject: one\n\nbody one\nFrom the past\n", Encoding.ASCII.GetString(messages[0].Raw));
        Assert.StartsWith("Subject: three", Encoding.ASCII.GetString(messages[2].Raw), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenFromAppearsInsideBodyWithoutBlankLineBefore_DoesNotSplit()
    {
        var mbox = "From a@example.com Mon Mar  9 10:00:00 2026\nSubject: one\n\nline\nFrom here on, text\n";
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(mbox));

        Assert.Single(MboxReader.Read(stream));
    }

    [Fact]
    public void Read_WhenLinesAreVeryLong_StaysBounded()
    {
        var longLine = new string('x', 20 * 1024 * 1024);
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("From a@example.com Mon Mar  9 10:00:00 2026\nSubject: big\n\n" + longLine + "\n"));

        var message = Assert.Single(MboxReader.Read(stream));

        Assert.True(message.Raw.Length > 20 * 1024 * 1024);
    }

    [Theory]
    [InlineData("From x", true)]
    [InlineData("Received: from", false)]
    [InlineData("", false)]
    public void LooksLikeMbox_WhenGivenFileStart_DetectsFromLine(string start, bool expected) =>
        Assert.Equal(expected, MboxReader.LooksLikeMbox(Encoding.ASCII.GetBytes(start)));
}
