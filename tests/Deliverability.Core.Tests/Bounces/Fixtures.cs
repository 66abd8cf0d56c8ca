using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>Loads the self-written .eml fixtures in TestData/Bounces.</summary>
internal static class Fixtures
{
    private static readonly BounceParser Parser = new();

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces", name));

    public static ParsedMessage Parse(string name) => Parser.Parse(Bytes(name));

    public static RecipientResult Single(string name)
    {
        var parsed = Parse(name);
        Assert.Null(parsed.Error);
        return Assert.Single(parsed.Recipients);
    }
}
