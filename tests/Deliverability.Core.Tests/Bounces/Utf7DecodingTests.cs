using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

public class TextDecodingTests
{
    [Theory]
    [InlineData("Hi Mom -+Jjo--!", "Hi Mom -☺-!")]
    [InlineData("+ZeVnLIqe-", "日本語")]
    [InlineData("1 +- 1", "1 + 1")]
    public void Decode_WhenCharsetIsUtf7_DecodesIt(string encoded, string expected) =>
        Assert.Equal(expected, TextDecoding.Decode(System.Text.Encoding.ASCII.GetBytes(encoded), "utf-7"));

    [Theory]
    [InlineData("shift-jis")]
    [InlineData("SHIFT_JIS")]
    [InlineData("x-sjis")]
    [InlineData("cp932")]
    [InlineData("windows1252")]
    [InlineData("iso8859-1")]
    [InlineData("utf8")]
    public void Resolve_WhenNameIsMisspelt_StillFindsAnEncoding(string name) =>
        Assert.NotNull(TextDecoding.Resolve(name));

    [Fact]
    public void Decode_WhenCharsetUnknown_FallsBackWithoutThrowing() =>
        Assert.Equal("abc", TextDecoding.Decode("abc"u8, "no-such-charset"));
}
