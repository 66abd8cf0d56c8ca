using Deliverability.Core.Ingestion;
using Deliverability.Core.Logs;

namespace Deliverability.Core.Tests.Logs;

public class LogDetectionTests
{
    private static string[] Lines(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Logs", file));

    [Theory]
    [InlineData("postfix-outlook.log")]
    [InlineData("postfix-providers.log")]
    [InlineData("exim-main.log")]
    public void LooksLikeLog_WhenPostfixOrEximLog_IsTrue(string file) => Assert.True(MtaLogReader.LooksLikeLog(Lines(file)));

    [Fact]
    public void LooksLikeLog_WhenBounceMessage_IsFalse() =>
        Assert.False(MtaLogReader.LooksLikeLog(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces", "outlook-s3150.eml"))));

    [Theory]
    [InlineData("postfix-outlook.log", IngestFileKind.MtaLog)]
    [InlineData("exim-main.log", IngestFileKind.MtaLog)]
    public void Detect_WhenUploadIsALog_SaysSo(string file, IngestFileKind expected) =>
        Assert.Equal(expected, FileKindDetector.Detect(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Logs", file)), file));

    [Theory]
    [InlineData("Snds/data-with-header.csv", IngestFileKind.SndsData)]
    [InlineData("Snds/data-no-header.csv", IngestFileKind.SndsData)]
    [InlineData("Snds/ipstatus-legacy.csv", IngestFileKind.SndsIpStatus)]
    [InlineData("Bounces/outlook-s3150.eml", IngestFileKind.Message)]
    public void Detect_WhenUploadIsAnSndsExportOrAMessage_SaysSo(string file, IngestFileKind expected) =>
        Assert.Equal(expected, FileKindDetector.Detect(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", file)), file));
}
