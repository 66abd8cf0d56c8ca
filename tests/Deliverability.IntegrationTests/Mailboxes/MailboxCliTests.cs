using System.Diagnostics;
using System.Text;
using Deliverability.IntegrationTests.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Mailboxes;

/// <summary>`deliverability mailbox add/list/poll` run as processes; the poll killed mid-way and run again (a restart).</summary>
public class MailboxCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddListPoll_ImportsAndPrintsTheCounts_AndNeverPrintsThePassword()
    {
        await using var database = await TestDatabase.CreateAsync();
        var env = Environment(database);
        var folder = TestImap.NewFolderName();
        await TestImap.CreateFolderAsync(folder, [Fixtures.Bounce("outlook-s3150"), Fixtures.Bounce("jmrp"), Fixtures.Bounce("not-a-bounce")], Ct);

        var add = await CliProcess.RunAsync(database, env, AddArgs("bounces", folder, "flag"));
        var poll = await CliProcess.RunAsync(database, env, "mailbox", "poll", "--name", "bounces", "--once");
        var list = await CliProcess.RunAsync(database, env, "mailbox", "list");

        Assert.True(add.Exit == 0, add.Output);
        Assert.True(poll.Exit == 0, poll.Output);
        Assert.Contains("bounces: 3 new message(s): 1 bounce(s), 1 complaint(s), 1 left untouched, 0 already imported; 2 flagged $Deliverability", poll.Output, StringComparison.Ordinal);
        Assert.Contains("imported 3: 1 bounce(s), 1 complaint(s), 1 untouched", list.Output, StringComparison.Ordinal);
        Assert.Contains("\tok", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestImap.Password, add.Output + poll.Output + list.Output, StringComparison.Ordinal);
        var state = await TestImap.StateAsync(folder, Ct);
        Assert.All(state, m => Assert.False(m.Seen));
        Assert.Empty(state.Single(m => m.Subject == "Lunch on Friday?").Keywords);
    }

    [Fact]
    public async Task Add_WithBadOptions_SaysWhichAndStoresNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var env = Environment(database);

        var tls = await CliProcess.RunAsync(database, env, "mailbox", "add", "--name", "x", "--host", "h", "--port", "993", "--tls", "maybe", "--user", "u");
        var after = await CliProcess.RunAsync(database, env, AddArgs("x", "INBOX", "delete"));

        Assert.Equal(2, tls.Exit);
        Assert.Contains("--tls is none, ssl or starttls, not 'maybe'", tls.Output, StringComparison.Ordinal);
        Assert.Equal(2, after.Exit);
        Assert.Contains("--after is leave, flag, flag:KEYWORD or move:FOLDER, not 'delete'", after.Output, StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.MailboxSources.CountAsync(Ct));
    }

    /// <summary>Acceptance: 1,000 messages imported once each, with the poll process killed in the middle and run again.</summary>
    [Fact]
    public async Task Poll_KilledMidImportAndRunAgain_ImportsEachOfAThousandMessagesOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var env = Environment(database);
        var folder = TestImap.NewFolderName();
        await TestImap.CreateFolderAsync(folder, ManyBounces(1000), Ct);
        Assert.Equal(0, (await CliProcess.RunAsync(database, env, AddArgs("big", folder, "flag"))).Exit);

        // The first run is killed once some chunks are committed and before all are.
        using (var first = CliProcess.Start(database, env, "mailbox", "poll", "--once"))
        {
            await using var db = database.CreateDbContext();
            var watch = Stopwatch.StartNew();
            var trace = new List<string>();
            int count;
            while ((count = await db.MailboxMessages.CountAsync(Ct)) < 150 && !first.HasExited && watch.Elapsed < TimeSpan.FromMinutes(5))
            {
                if (trace.Count == 0 || !trace[^1].EndsWith($" {count}", StringComparison.Ordinal)) trace.Add($"{watch.Elapsed.TotalSeconds:0.0}s {count}");
                await Task.Delay(50, Ct);
            }

            trace.Add($"{watch.Elapsed.TotalSeconds:0.0}s {count}");

            if (first.HasExited)
            {
                Assert.Fail("The first poll ended before it could be killed: " + await first.StandardOutput.ReadToEndAsync(Ct));
            }

            var seen = await db.MailboxMessages.CountAsync(Ct);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(Ct);
            var left = await db.MailboxMessages.CountAsync(Ct);
            Assert.True(left is >= 150 and < 1000, $"{seen} messages recorded when killed after {watch.Elapsed}, {left} after it exited; {string.Join(", ", trace)}");
        }

        // The killed run's claim lasts its lease (seconds): until then a poll says the mailbox is busy.
        (int Exit, string Output) second;
        var wait = Stopwatch.StartNew();
        do
        {
            second = await CliProcess.RunAsync(database, env, "mailbox", "poll", "--once");
        }
        while (second.Output.Contains("another run is polling it now", StringComparison.Ordinal) && wait.Elapsed < TimeSpan.FromMinutes(1));

        Assert.True(second.Exit == 0, second.Output);
        await using var check = database.CreateDbContext();
        var records = await check.MailboxMessages.Select(m => m.Uid).ToListAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), records.Order());
        Assert.Equal(1000, await check.RawMessages.CountAsync(Ct));
        Assert.Equal(1000, await check.Bounces.CountAsync(Ct));
        Assert.Equal(1000, await check.Bounces.Select(b => b.Recipient).Distinct().CountAsync(Ct));
        var state = await TestImap.StateAsync(folder, Ct);
        Assert.Equal(1000, state.Count);
        Assert.All(state, m => Assert.False(m.Seen));
        Assert.All(state, m => Assert.Contains("$Deliverability", m.Keywords));
    }

    private static Dictionary<string, string> Environment(TestDatabase database) => new()
    {
        ["DataProtection__KeysDirectory"] = Path.Combine(Path.GetTempPath(), "deliverability-tests-keys", database.Name),
        ["DELIVERABILITY_MAILBOX_PASSWORD"] = TestImap.Password,
    };

    private static string[] AddArgs(string name, string folder, string after) =>
        ["mailbox", "add", "--name", name, "--host", TestImap.Host, "--port", TestImap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--tls", "none", "--user", TestImap.User, "--folder", folder, "--after", after];

    private static IEnumerable<byte[]> ManyBounces(int n)
    {
        var template = Encoding.UTF8.GetString(Fixtures.Bounce("outlook-s3150"));
        for (var i = 0; i < n; i++)
        {
            yield return Encoding.UTF8.GetBytes(template.Replace("alice@hotmail.com", $"user{i}@hotmail.com", StringComparison.Ordinal)
                .Replace("<20260310091502.5E6F7A8B9C@mx1.example.com>", $"<bounce-{i}@mx1.example.com>", StringComparison.Ordinal));
        }
    }
}
