using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Deliverability.Core.Mailboxes;
using Deliverability.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliverability.IntegrationTests.Mailboxes;

/// <summary>Which mailboxes the minute's recurring job polls, and that the app registers it.</summary>
public class MailboxScheduleTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void RecurringJobs_AtStartup_RegistersThePollOfDueMailboxesEveryMinute()
    {
        using var connection = app.Factory.Services.GetRequiredService<JobStorage>().GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == RecurringJobs.PollDueMailboxes);

        Assert.Equal((Cron.Minutely(), JobQueues.Mailboxes, typeof(MailboxPollDueJob)), (job.Cron, job.Job.Queue, job.Job.Type));
    }

    [Fact]
    public async Task PollDue_QueuesTheMailboxesWhoseIntervalHasPassed_AndOnlyThose()
    {
        var now = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        var sources = app.Factory.Services.GetRequiredService<MailboxSources>();
        var never = await sources.AddAsync(MailboxPollingTests.Settings("INBOX", MailboxAfterImport.Leave, null), Ct);
        var recent = await sources.AddAsync(MailboxPollingTests.Settings("INBOX", MailboxAfterImport.Leave, null), Ct);
        var stale = await sources.AddAsync(MailboxPollingTests.Settings("INBOX", MailboxAfterImport.Leave, null) with { PollIntervalMinutes = 10 }, Ct);
        await using (var db = app.Factory.Database.CreateDbContext())
        {
            await db.MailboxSources.Where(m => m.Id == recent).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastPolledAt, now.AddMinutes(-2)), Ct);
            await db.MailboxSources.Where(m => m.Id == stale).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastPolledAt, now.AddMinutes(-10)), Ct);
        }

        var recorded = new RecordedJobs();
        var job = new MailboxPollDueJob(app.Factory.Services.GetRequiredService<IDbContextFactory<DeliverabilityDbContext>>(), new MailboxPollRequests(recorded), new FakeTimeProvider(now));
        await job.RunAsync(Ct);

        var polled = recorded.Created.Where(j => j.Type == typeof(MailboxPollJob)).Select(j => (long)j.Args[0]!).ToList();
        Assert.Contains(never, polled);
        Assert.Contains(stale, polled);
        Assert.DoesNotContain(recent, polled);
    }
}
