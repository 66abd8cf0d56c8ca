using Deliverability.Web.Features.Uploads;

namespace Deliverability.Web.Tests.Features.Uploads;

public class ProgressStreamTests
{
    [Fact]
    public async Task ReadAsync_ReportsTheRunningTotalAndPassesTheBytesThrough()
    {
        var data = new byte[200_000];
        new Random(3).NextBytes(data);
        var reports = new List<long>();
        await using var stream = new ProgressStream(new MemoryStream(data), reports.Add);
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy, 65_536, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(data.Length, stream.BytesRead);
        Assert.Equal(data.Length, reports[^1]);
        Assert.Equal(reports.Order().ToList(), reports);
    }
}
