namespace Deliverability.Core.Tests;

public class TimeTextTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 3, 9, 5, 7, TimeSpan.FromHours(1));

    [Fact]
    public void Full_WithoutYear_WithSeconds_WriteTheMomentInUtc()
    {
        Assert.Equal("3 Mar 2026 08:05 UTC", TimeText.Full(At));
        Assert.Equal("3 Mar 08:05 UTC", TimeText.WithoutYear(At));
        Assert.Equal("3 Mar 2026 08:05:07 UTC", TimeText.WithSeconds(At));
    }

    [Theory]
    [InlineData(30, "just now")]
    [InlineData(12 * 60, "12 min ago")]
    [InlineData(5 * 3600 + 59, "5 h ago")]
    [InlineData(3 * 86400 + 10, "3 d ago")]
    public void Ago_RoundsDownToTheLargestWholeUnit(int seconds, string expected) =>
        Assert.Equal(expected, TimeText.Ago(At, At.AddSeconds(seconds)));
}
