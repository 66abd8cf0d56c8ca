using Deliverability.Core.Ingestion;
using Deliverability.Core.Jobs;
using Deliverability.Core.Mailboxes;
using Deliverability.Core.Secrets;
using Deliverability.IntegrationTests.Ingestion;
using Deliverability.Testing;
using MailKit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Deliverability.IntegrationTests.Mailboxes;

/// <summary>Issue 14, part 1: mailboxes polled from a real Dovecot into a real PostgreSQL through the ingest pipeline.</summary>
public class MailboxPollingTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MailboxSources Sources => app.Factory.Services.GetRequiredService<MailboxSources>();
    private MailboxPolling Polling => app.Factory.Services.GetRequiredService<MailboxPolling>();

    [Fact]
    public async Task Poll_FlagsBouncesAndComplaints_AndLeavesOrdinaryMailUnreadAndUnflagged()
    {
        var folder = TestImap.NewFolderName();
        await TestImap.CreateFolderAsync(folder, [Fixtures.Bounce("outlook-s3150"), Fixtures.Bounce("not-a-bounce"), Fixtures.Bounce("jmrp"),
            Fixtures.Bounce("postfix-userunknown"), Fixtures.Bounce("autoreply")], Ct);
        var id = await AddAsync(folder, MailboxAfterImport.Flag, "$Imported");

        var result = await Polling.PollAsync(id, Ct);

        Assert.Null(result.Error);
        Assert.Equal((5, 2, 1, 3, 2), (result.Read, result.Bounces, result.Complaints, result.ActedOn, result.Untouched));
        var state = await TestImap.StateAsync(folder, Ct);
        Assert.Equal(5, state.Count);
        Assert.All(state, m => Assert.False(m.Seen, $"{m.Subject} was marked read"));
        var flagged = state.Where(m => m.Keywords.Contains("$Imported")).Select(m => m.Subject).ToList();
        Assert.Equal(3, flagged.Count);
        Assert.DoesNotContain("Lunch on Friday?", flagged);
        Assert.All(state.Where(m => m.Subject == "Lunch on Friday?" || m.Subject!.Contains("Auto", StringComparison.OrdinalIgnoreCase)),
            m => Assert.Equal((MessageFlags.None, 0), (m.Flags & ~MessageFlags.Recent, m.Keywords.Count)));

        await using var db = app.Factory.Database.CreateDbContext();
        var batches = await db.IngestBatches.Where(b => result.BatchIds.Contains(b.Id)).ToListAsync(Ct);
        Assert.All(batches, b => Assert.Equal((IngestSource.Mailbox, IngestStatus.Completed), (b.Source, b.Status)));
        Assert.Equal(2, await db.Bounces.CountAsync(b => result.BatchIds.Contains(b.BatchId), Ct));
        Assert.Equal(1, await db.Complaints.CountAsync(c => result.BatchIds.Contains(c.BatchId), Ct));

        // The next poll finds nothing new and changes nothing.
        var again = await Polling.PollAsync(id, Ct);
        Assert.Equal((0, 0), (again.Read, again.ActedOn));
        var row = (await Sources.ListAsync(Ct)).Single(m => m.Id == id);
        Assert.Equal((5, 2, 1, 2, false), (row.Imported, row.Bounces, row.Complaints, row.Untouched, row.Failing));
        Assert.NotNull(row.LastSuccessAt);
    }

    [Fact]
    public async Task Poll_WithMove_MovesOnlyBouncesAndNeverDeletesOrReads()
    {
        var folder = TestImap.NewFolderName();
        var processed = folder + "-done";
        await TestImap.CreateFolderAsync(folder, [Fixtures.Bounce("outlook-s3150"), Fixtures.Bounce("not-a-bounce"), Fixtures.Bounce("arf-abuse")], Ct, processed);
        var id = await AddAsync(folder, MailboxAfterImport.Move, processed);

        var result = await Polling.PollAsync(id, Ct);

        Assert.Null(result.Error);
        Assert.Equal(2, result.ActedOn);
        var left = await TestImap.StateAsync(folder, Ct);
        Assert.Equal("Lunch on Friday?", Assert.Single(left).Subject);
        Assert.False(left[0].Seen);
        var moved = await TestImap.StateAsync(processed, Ct);
        Assert.Equal(2, moved.Count);
        Assert.All(moved, m => Assert.False(m.Seen));
    }

    [Fact]
    public async Task Poll_WhenMoveTargetIsMissing_SaysSoOnTheRowAndTouchesNothing()
    {
        var folder = TestImap.NewFolderName();
        await TestImap.CreateFolderAsync(folder, [Fixtures.Bounce("outlook-s3150")], Ct);
        var id = await AddAsync(folder, MailboxAfterImport.Move, folder + "-missing");

        var result = await Polling.PollAsync(id, Ct);

        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", (await Sources.ListAsync(Ct)).Single(m => m.Id == id).LastError, StringComparison.Ordinal);
        Assert.False(Assert.Single(await TestImap.StateAsync(folder, Ct)).Seen);
    }

    [Fact]
    public async Task Poll_WhenUidValidityChanges_RereadsTheFolderAndImportsOnlyTheNewMessage()
    {
        var folder = TestImap.NewFolderName();
        byte[][] first = [Fixtures.Bounce("outlook-s3150"), Fixtures.Bounce("postfix-userunknown"), Fixtures.Bounce("not-a-bounce")];
        await TestImap.CreateFolderAsync(folder, first, Ct);
        var id = await AddAsync(folder, MailboxAfterImport.Leave, null);
        var before = await Polling.PollAsync(id, Ct);
        Assert.Equal((3, 2), (before.Read, before.Bounces));

        var newValidity = await TestImap.RecreateFolderAsync(folder, [.. first, Fixtures.Bounce("exim-mailboxfull")], Ct);
        var after = await Polling.PollAsync(id, Ct);

        Assert.Null(after.Error);
        Assert.Equal((4, 3, 1), (after.Read, after.AlreadyImported, after.Bounces));
        await using var db = app.Factory.Database.CreateDbContext();
        var mailbox = await db.MailboxSources.SingleAsync(m => m.Id == id, Ct);
        Assert.Equal((newValidity, 4L), ((uint)mailbox.UidValidity!.Value, mailbox.LastUid));
        Assert.Equal(3, await db.Bounces.CountAsync(b => before.BatchIds.Concat(after.BatchIds).Contains(b.BatchId), Ct));
        Assert.Equal(4, (await Sources.ListAsync(Ct)).Single(m => m.Id == id).Imported);
    }

    [Fact]
    public async Task Poll_WithAWrongPassword_ShowsTheErrorOnTheRowUntilTheRightOneIsSaved()
    {
        var folder = TestImap.NewFolderName();
        await TestImap.CreateFolderAsync(folder, [Fixtures.Bounce("outlook-s3150")], Ct);
        const string wrong = "not-the-password-93";
        var id = await Sources.AddAsync(Settings(folder, MailboxAfterImport.Leave, null) with { Secret = wrong }, Ct);

        var result = await Polling.PollAsync(id, Ct);
        var second = await Polling.PollAsync(id, Ct);

        Assert.Contains("refused the login", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Error, StringComparison.Ordinal);
        // The event an alert starts from: the first failure after a healthy state, not every failed poll.
        Assert.Equal((true, false), (result.Failure!.WasHealthy, second.Failure!.WasHealthy));
        var row = (await Sources.ListAsync(Ct)).Single(m => m.Id == id);
        Assert.True(row.Failing);
        Assert.Null(row.LastSuccessAt);
        Assert.NotNull(row.LastErrorAt);
        Assert.Equal(0, row.Imported);

        await Sources.UpdateAsync(id, Settings(folder, MailboxAfterImport.Leave, null) with { Secret = TestImap.Password }, Ct);
        var fixedPoll = await Polling.PollAsync(id, Ct);

        Assert.Equal((null, 1), (fixedPoll.Error, fixedPoll.Read));
        row = (await Sources.ListAsync(Ct)).Single(m => m.Id == id);
        Assert.Equal((false, 1), (row.Failing, row.Bounces));
        Assert.NotNull(row.LastSuccessAt);
    }

    [Fact]
    public async Task Poll_WhileAnotherRunHoldsTheMailbox_DoesNothing()
    {
        var folder = TestImap.NewFolderName();
        await TestImap.CreateFolderAsync(folder, [Fixtures.Bounce("outlook-s3150")], Ct);
        var id = await AddAsync(folder, MailboxAfterImport.Leave, null);
        await using (await JobClaim.TryTakeAsync(app.Factory.Database.ConnectionString, MailboxPolling.ClaimName(id), JobClaim.DefaultLease, Ct))
        {
            var busy = await Polling.PollAsync(id, Ct);
            Assert.Equal((true, 0), (busy.Busy, busy.Read));
        }

        Assert.Equal(1, (await Polling.PollAsync(id, Ct)).Read);
    }

    [Fact]
    public async Task Secret_IsStoredEncryptedAndNeverReadBack()
    {
        var folder = TestImap.NewFolderName();
        var id = await Sources.AddAsync(Settings(folder, MailboxAfterImport.Leave, null), Ct);

        await using var connection = new NpgsqlConnection(app.Factory.Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT row_to_json(m)::text FROM mailbox_sources m WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        var raw = (string)(await command.ExecuteScalarAsync(Ct))!;
        Assert.DoesNotContain(TestImap.Password, raw, StringComparison.Ordinal);
        await using var db = app.Factory.Database.CreateDbContext();
        var stored = await db.MailboxSources.SingleAsync(m => m.Id == id, Ct);
        Assert.Equal(TestImap.Password, app.Factory.Services.GetRequiredService<SecretProtector>().TryUnprotect(SecretPurposes.MailboxSecret, stored.ProtectedSecret));
        Assert.Null((await Sources.SettingsAsync(id, Ct))!.Secret);
    }

    [Fact]
    public async Task Settings_WhenInvalid_AreRefusedWithTheReason()
    {
        var ex = await Assert.ThrowsAsync<MailboxSettingsException>(() => Sources.AddAsync(Settings("INBOX", MailboxAfterImport.Move, null), Ct));
        Assert.Contains("folder to move", ex.Message, StringComparison.Ordinal);
        ex = await Assert.ThrowsAsync<MailboxSettingsException>(() => Sources.AddAsync(Settings("INBOX", MailboxAfterImport.Leave, null) with { Port = 0 }, Ct));
        Assert.Contains("between 1 and 65535", ex.Message, StringComparison.Ordinal);
        var name = TestImap.NewFolderName("dup");
        await Sources.AddAsync(Settings("INBOX", MailboxAfterImport.Leave, null) with { Name = name }, Ct);
        ex = await Assert.ThrowsAsync<MailboxSettingsException>(() => Sources.AddAsync(Settings("INBOX", MailboxAfterImport.Leave, null) with { Name = name }, Ct));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnection_SaysWhatTheFolderHoldsOrWhyItFails()
    {
        var folder = TestImap.NewFolderName();
        await TestImap.CreateFolderAsync(folder, [Fixtures.Bounce("outlook-s3150"), Fixtures.Bounce("not-a-bounce")], Ct);
        var test = app.Factory.Services.GetRequiredService<MailboxConnectionTest>();

        var ok = await test.TestAsync(Settings(folder, MailboxAfterImport.Leave, null), null, Ct);
        var wrongFolder = await test.TestAsync(Settings(folder + "-nope", MailboxAfterImport.Leave, null), null, Ct);
        var closedPort = await test.TestAsync(Settings(folder, MailboxAfterImport.Leave, null) with { Port = 1 }, null, Ct);

        Assert.True(ok.Ok, ok.Message);
        Assert.Contains("holds 2 messages", ok.Message, StringComparison.Ordinal);
        Assert.False(wrongFolder.Ok);
        Assert.Contains("does not exist", wrongFolder.Message, StringComparison.Ordinal);
        Assert.False(closedPort.Ok);
        Assert.Contains("Could not connect to 127.0.0.1:1", closedPort.Message, StringComparison.Ordinal);
        Assert.All(await TestImap.StateAsync(folder, Ct), m => Assert.False(m.Seen));
    }

    private async Task<long> AddAsync(string folder, MailboxAfterImport after, string? target) =>
        await Sources.AddAsync(Settings(folder, after, target), Ct);

    internal static MailboxSettings Settings(string folder, MailboxAfterImport after, string? target) => new()
    {
        Name = "box-" + Guid.NewGuid().ToString("N")[..8],
        Host = TestImap.Host,
        Port = TestImap.Port,
        Tls = MailboxTls.None,
        UserName = TestImap.User,
        Secret = TestImap.Password,
        Folder = folder,
        AfterImport = after,
        AfterImportTarget = target,
    };
}
