using System.Diagnostics;
using System.Text;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>
/// Fuzz-style checks: junk, truncated and bit-flipped messages must give a result or a clear error, quickly, without throwing.
/// Uses the shared Sisimai corpus when it is present next to the repository, and its own fixtures and junk otherwise.
/// </summary>
public class RobustnessTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PerMessageLimit = TimeSpan.FromSeconds(2);

    [Fact]
    public void Parse_WhenGivenRandomJunk_NeverThrowsAndAnswersQuickly()
    {
        var random = new Random(20260310);
        var parser = new BounceParser();
        for (var i = 0; i < 300; i++)
        {
            var junk = new byte[random.Next(0, 4096)];
            random.NextBytes(junk);
            AssertWellBehaved(parser, junk);
        }
    }

    [Fact]
    public void Parse_WhenGivenMutatedMessages_NeverThrowsAndAnswersQuickly()
    {
        var random = new Random(42);
        var parser = new BounceParser();
        var samples = Samples().ToList();
        Assert.NotEmpty(samples);
        // One untimed parse first: the per-message limit is about the parser, not about the JIT compiling it.
        parser.Parse(samples[0]);
        var clock = Stopwatch.StartNew();
        var iterations = 0;
        while (clock.Elapsed < Budget && iterations < 20000)
        {
            var original = samples[random.Next(samples.Count)];
            var mutated = Mutate(original, random);
            AssertWellBehaved(parser, mutated);
            iterations++;
        }

        Assert.True(iterations >= samples.Count, $"only {iterations} iterations ran");
    }

    [Fact]
    public void Parse_WhenMessageIsHuge_ReturnsWithinBoundedTime()
    {
        var head = Fixtures.Bytes("exim-mailboxfull.eml");
        var filler = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("aaaa bbbb cccc dddd eeee ffff gggg hhhh 550 5.1.1 <x@example.org>\n", 800_000)));
        var huge = head.Concat(filler).ToArray();
        Assert.True(huge.Length > 50_000_000);

        var clock = Stopwatch.StartNew();
        var parsed = new BounceParser().Parse(huge);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal("kim@example.org", parsed.Recipients[0].Recipient);
    }

    [Fact]
    public void Parse_WhenLineIsPathological_DoesNotBacktrack()
    {
        var evil = "From: MAILER-DAEMON@example.com\nSubject: Undelivered\n\n" + new string('a', 200_000) + "@" + new string('.', 200_000) + "\n" +
                   string.Concat(Enumerable.Repeat("5.5.5.5.5.5.", 50_000)) + "\n";
        var clock = Stopwatch.StartNew();

        new BounceParser().Parse(Encoding.ASCII.GetBytes(evil));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    private static void AssertWellBehaved(BounceParser parser, byte[] input)
    {
        var clock = Stopwatch.StartNew();
        var parsed = parser.Parse(input);
        clock.Stop();
        Assert.NotNull(parsed);
        Assert.True(parsed.Recipients.Count > 0 || !string.IsNullOrEmpty(parsed.Error), "no recipients and no error");
        Assert.True(clock.Elapsed < PerMessageLimit, $"took {clock.Elapsed}");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var copy = original.Length == 0 ? [] : original[..random.Next(original.Length + 1)];
        var flips = random.Next(0, 16);
        for (var i = 0; i < flips && copy.Length > 0; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static IEnumerable<byte[]> Samples()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces"), "*.eml"))
        {
            yield return File.ReadAllBytes(file);
        }

        var corpus = FindSharedCorpus();
        if (corpus is null)
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal)))
        {
            yield return File.ReadAllBytes(file);
        }
    }

    /// <summary>/work/shared/corpus/sisimai-dev, or ../shared/corpus/sisimai-dev relative to the repository root.</summary>
    private static string? FindSharedCorpus()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            var candidate = Path.Combine(directory.FullName, "..", "shared", "corpus", "sisimai-dev");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            directory = directory.Parent;
        }

        return Directory.Exists("/work/shared/corpus/sisimai-dev") ? "/work/shared/corpus/sisimai-dev" : null;
    }
}
