using Deliverability.Core.Data;

namespace Deliverability.Core.Tests.Data;

public class StorableTextTests
{
    [Fact]
    public void Clean_WhenTextHasNuls_ReplacesEachWithTheReplacementCharacter()
    {
        Assert.Equal("Undelivered\uFFFD Mail\uFFFD", StorableText.Clean("Undelivered\0 Mail\0"));
    }

    [Fact]
    public void Clean_WhenTextHasLoneSurrogates_ReplacesThemAndKeepsRealPairs()
    {
        Assert.Equal("a\uFFFDb\uFFFDc 😀", StorableText.Clean("a\uD800b\uDC00c 😀"));
        Assert.Equal("\uFFFD", StorableText.Clean("\uD83D"));
    }

    [Fact]
    public void Clean_WhenTextIsStorable_ReturnsTheSameInstance()
    {
        var text = "550 5.1.1 <ivan@example.org>: User unknown — Größe 😀";
        Assert.Same(text, StorableText.Clean(text));
        Assert.Null(StorableText.Clean(null));
    }

    [Fact]
    public void CleanJson_WhenJsonEscapesANul_ReplacesTheEscapeThatJsonbRefuses()
    {
        Assert.Equal("""[{"selector":"s\uFFFD1"}]""", StorableText.CleanJson("""[{"selector":"s\u00001"}]"""));
    }
}
