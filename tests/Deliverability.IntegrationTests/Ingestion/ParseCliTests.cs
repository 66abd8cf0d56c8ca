using System.Diagnostics;
using System.Text.Json;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>`deliverability parse` run as a process, the way scripts read its output: order, JSON contract, exit codes.</summary>
public class ParseCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] RecipientKeys =
    [
        "source", "message_index", "recipient", "original_recipient", "action", "status", "reply_code", "diagnostic",
        "remote_mta", "reporting_mta", "reason", "hard_bounce", "kind", "provider", "provider_code", "sending_ip",
        "sending_ip_source", "sender", "sender_domain", "original_message_id", "dkim", "arrival_date", "feedback_type",
    ];

    [Fact]
    public async Task ParseJson_WhenGivenADirectory_PrintsOneLinePerRecipientInFileAndMboxOrder()
    {
        var dir = Directory.CreateTempSubdirectory("deliverability-parse-");
        try
        {
            // Written out of order: the output follows the ordinal order of the paths, then the mbox's own order,
            // with more messages than the workers hold at once.
            Directory.CreateDirectory(Path.Combine(dir.FullName, "b"));
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "c-not-a-bounce.eml"), Fixtures.Bounce("not-a-bounce"), Ct);
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "b", "many.mbox"), Fixtures.ManyBounces(40), Ct);
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "a-s3150.eml"), Fixtures.Bounce("outlook-s3150"), Ct);

            var (exit, stdout, _) = await RunParseAsync("--json", dir.FullName);

            Assert.Equal(0, exit);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
            Assert.Equal(42, lines.Count);

            var first = lines[0];
            Assert.Equal(RecipientKeys, first.EnumerateObject().Select(p => p.Name));
            Assert.Equal(Path.Combine(dir.FullName, "a-s3150.eml"), first.GetProperty("source").GetString());
            Assert.Equal("alice@hotmail.com", first.GetProperty("recipient").GetString());
            Assert.Equal("blocked", first.GetProperty("reason").GetString());
            Assert.Equal(550, first.GetProperty("reply_code").GetInt32());
            Assert.Equal("S3150", first.GetProperty("provider_code").GetString());
            Assert.Equal(JsonValueKind.Array, first.GetProperty("dkim").ValueKind);

            var mbox = lines.Skip(1).Take(40).ToList();
            Assert.All(mbox, line => Assert.Equal(Path.Combine(dir.FullName, "b", "many.mbox"), line.GetProperty("source").GetString()));
            Assert.Equal(Enumerable.Range(0, 40).Select(i => $"user{i}@hotmail.com"), mbox.Select(line => line.GetProperty("recipient").GetString()));
            Assert.Equal(Enumerable.Range(0, 40), mbox.Select(line => line.GetProperty("message_index").GetInt32()));

            var last = lines[^1];
            Assert.Equal(["source", "message_index", "kind", "error"], last.EnumerateObject().Select(p => p.Name));
            Assert.Equal("not-a-bounce", last.GetProperty("kind").GetString());
            Assert.StartsWith("not a bounce: ", last.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Parse_WhenAFileCannotBeRead_SaysSoOnItsLineAndStillSucceeds()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"deliverability-missing-{Guid.NewGuid():N}.eml");

        var (exit, stdout, _) = await RunParseAsync("--json", missing);

        Assert.Equal(0, exit);
        var line = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(missing, line.GetProperty("source").GetString());
        Assert.Equal("unreadable", line.GetProperty("kind").GetString());
        Assert.StartsWith("unreadable file: ", line.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_WhenNoPathIsGiven_FailsWithUsage()
    {
        var (exit, _, stderr) = await RunParseAsync();

        Assert.Equal(1, exit);
        Assert.Contains("Required argument missing", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunParseAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "deliverability.dll"));
        start.ArgumentList.Add("parse");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
