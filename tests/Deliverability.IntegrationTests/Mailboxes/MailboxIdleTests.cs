using Deliverability.Core.Data;
using Deliverability.Core.Mailboxes;
using Deliverability.Core.Secrets;
using Deliverability.IntegrationTests.Alerts;
using Deliverability.IntegrationTests.Ingestion;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Deliverability.IntegrationTests.Mailboxes;

/// <summary>Issue 14: where the server offers IMAP IDLE (Dovecot does), new mail is polled as it arrives, not at the next interval.</summary>
public class MailboxIdleTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IServiceProvider Services => app.Factory.Services;
    private MailboxSources Sources => Services.GetRequiredService<MailboxSources>();

    [Fact]
    public async Task NewMail_WhileIdling_IsImportedAtOnce_QuietFolderAsksForNothing_RemovedMailboxIsLetGo()
    {
        var folder = TestImap.NewFolderName("idle");
        await TestImap.CreateFolderAsync(folder, [], Ct);
        var id = await Sources.AddAsync(MailboxPollingTests.Settings(folder, MailboxAfterImport.Leave, null), Ct);
        var jobs = new QueuedJobs();
        using var watch = new MailboxIdleWatch(Services.GetRequiredService<IDbContextFactory<DeliverabilityDbContext>>(),
            Services.GetRequiredService<SecretProtector>(), new MailboxPollRequests(jobs), TimeProvider.System, NullLogger<MailboxIdleWatch>.Instance);
        try
        {
            await watch.SyncAsync(Ct);
            await UntilAsync(() => watch.Idling.Contains(id), "an IDLE session on the mailbox's folder");

            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            Assert.Equal(0, jobs.Pending);

            await TestImap.AppendAsync(folder, [Fixtures.Bounce("outlook-s3150")], Ct);
            await UntilAsync(() => jobs.Pending > 0, "a poll asked for after the message arrived");
            await jobs.DrainAsync(Services);

            Assert.Empty(jobs.Failed);
            var row = (await Sources.ListAsync(Ct)).Single(m => m.Id == id);
            Assert.Equal((1, 1), (row.Imported, row.Bounces));
            var state = Assert.Single(await TestImap.StateAsync(folder, Ct));
            Assert.False(state.Seen, "watching or polling marked the message read");

            // The session goes on after the poll: a second message is announced too.
            await UntilAsync(() => watch.Idling.Contains(id), "the IDLE session renewed after the first message");
            await TestImap.AppendAsync(folder, [Fixtures.Bounce("postfix-userunknown")], Ct);
            await UntilAsync(() => jobs.Pending > 0, "a poll asked for after the second message");
            await jobs.DrainAsync(Services);
            Assert.Equal(2, (await Sources.ListAsync(Ct)).Single(m => m.Id == id).Imported);
        }
        finally
        {
            await Sources.RemoveAsync(id, CancellationToken.None);
            await watch.SyncAsync(CancellationToken.None);
        }

        Assert.DoesNotContain(id, watch.Idling);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"No {what} within 30 s.");
            await Task.Delay(100, Ct);
        }
    }
}
