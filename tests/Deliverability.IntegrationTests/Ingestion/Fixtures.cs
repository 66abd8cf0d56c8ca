using System.IO.Compression;
using System.Text;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>Bounce fixtures (the project's own, under TestData/Bounces) and archives built from them.</summary>
internal static class Fixtures
{
    /// <summary>A fixture made unique (an extra header line) so tests sharing a database never see each other's messages as duplicates.</summary>
    public static byte[] Bounce(string name) =>
        [.. Encoding.ASCII.GetBytes($"X-Test-Copy: {Guid.NewGuid():N}\n"), .. File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Bounces", name + ".eml"))];

    public static byte[] Mbox(params string[] names) => MboxOf([.. names.Select(Bounce)]);

    public static byte[] MboxOf(params byte[][] messages)
    {
        var mbox = new StringBuilder();
        foreach (var message in messages)
        {
            mbox.Append("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n");
            var text = Encoding.UTF8.GetString(message).Replace("\r\n", "\n", StringComparison.Ordinal);
            mbox.Append(text.Replace("\nFrom ", "\n>From ", StringComparison.Ordinal));
            mbox.Append(text.EndsWith('\n') ? "\n" : "\n\n");
        }

        return Encoding.UTF8.GetBytes(mbox.ToString());
    }

    /// <summary>An mbox of n distinct bounces (each a copy of the S3150 fixture with its own Message-ID and recipient).</summary>
    public static byte[] ManyBounces(int n)
    {
        var template = Encoding.UTF8.GetString(Bounce("outlook-s3150")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var mbox = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            mbox.Append("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n");
            mbox.Append(template.Replace("X-Test-Copy: ", "X-Test-Copy: " + i, StringComparison.Ordinal).Replace("alice@hotmail.com", $"user{i}@hotmail.com", StringComparison.Ordinal)
                .Replace("<20260310091502.5E6F7A8B9C@mx1.example.com>", $"<bounce-{i}@mx1.example.com>", StringComparison.Ordinal));
            mbox.Append('\n');
        }

        return Encoding.UTF8.GetBytes(mbox.ToString());
    }

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}
