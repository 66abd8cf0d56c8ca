using System.Net;
using Deliverability.Core.Alerts;
using Deliverability.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Alerts;

/// <summary>A muted IP's block is recorded, not sent; another IP's is.</summary>
public sealed class MuteTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MutedIp_ItsBlockIsRecordedAsMutedAndSentNowhere_UntilTheMuteEnds()
    {
        var rules = app.Services.GetRequiredService<AlertRules>();
        await app.IngestAsync("198.51.100.90");
        var muted = await app.IpIdAsync("198.51.100.90");
        await using (var db = app.Db())
        {
            // The first IP's block goes out; mute it from now on and let its status forget the block, then block it again.
            Assert.Equal(1, await db.Alerts.CountAsync(Ct));
        }

        Assert.Equal("Mute until a time in the future.", await rules.MuteAsync(muted, app.Clock.GetUtcNow(), "admin@alerts.example", Ct));
        Assert.Null(await rules.MuteAsync(muted, app.Clock.GetUtcNow().AddDays(2), "admin@alerts.example", Ct));

        await new AlertEvents(app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Deliverability.Core.Data.DeliverabilityDbContext>>(),
                app.Services.GetRequiredService<AlertRequests>(), app.Clock)
            .RaiseAsync(new AlertEventInput(AlertEventKind.BlocklistListed, $"test-listed:{muted}", "Listed on Spamhaus ZEN: 198.51.100.90",
                "198.51.100.90 is listed on Spamhaus ZEN.", app.Clock.GetUtcNow(), muted, "198.51.100.90"), Ct);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await app.IngestAsync("198.51.100.91");
        await app.SweepAsync();

        await using (var db = app.Db())
        {
            var listed = await db.AlertEvents.SingleAsync(e => e.Kind == AlertEventKind.BlocklistListed, Ct);
            Assert.Equal((AlertEventState.Muted, (long?)null), (listed.State, listed.AlertId));
            var alerts = await db.Alerts.OrderBy(a => a.Id).Select(a => a.Title).ToListAsync(Ct);
            Assert.Equal(["Blocked by Outlook.com: 198.51.100.90", "Blocked by Outlook.com: 198.51.100.91"], alerts);
        }

        var unsent = await app.Services.GetRequiredService<AlertHistory>().UnsentAsync(10, Ct);
        Assert.Contains(unsent, e => e.State == AlertEventState.Muted && e.Title == "Listed on Spamhaus ZEN: 198.51.100.90");

        // After the mute ends, the IP's next event is sent.
        app.Clock.Advance(TimeSpan.FromDays(2));
        await new AlertEvents(app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Deliverability.Core.Data.DeliverabilityDbContext>>(),
                app.Services.GetRequiredService<AlertRequests>(), app.Clock)
            .RaiseAsync(new AlertEventInput(AlertEventKind.BlocklistListed, $"test-listed-again:{muted}", "Listed on Spamhaus ZEN: 198.51.100.90",
                "198.51.100.90 is listed on Spamhaus ZEN.", app.Clock.GetUtcNow(), muted, "198.51.100.90"), Ct);
        await app.Jobs.DrainAsync(app.Services);
        await using var after = app.Db();
        Assert.Equal(AlertEventState.Alerted, (await after.AlertEvents.SingleAsync(e => e.Key == $"test-listed-again:{muted}", Ct)).State);
    }
}

/// <summary>A receiver error: the delivery is marked retrying with the error, and the retry sends it.</summary>
public sealed class RetryAndMailboxEventTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MailboxFailing_RaisedOnce_WebhookAnswers500_TheDeliveryRetriesAndIsSent()
    {
        app.Receiver.Answer("/hook", HttpStatusCode.InternalServerError);
        var events = app.Services.GetRequiredService<AlertEvents>();
        var input = new AlertEventInput(AlertEventKind.MailboxFailing, "mailbox-failing:1:2026-03-10T11:55:00Z", "Bounce mailbox failing: bounces@alerts.example",
            "imap.alerts.example:993 refused the login for bounces@alerts.example (last success 10 Mar 11:00 UTC).", app.Clock.GetUtcNow(),
            LinkPath: "/settings/mailboxes");
        Assert.True(await events.RaiseAsync(input, Ct));
        Assert.False(await events.RaiseAsync(input, Ct));
        await app.Jobs.DrainAsync(app.Services);

        long webhookChannel = app.ChannelIds[1];
        await using (var db = app.Db())
        {
            var alert = await db.Alerts.Include(a => a.Deliveries).SingleAsync(Ct);
            Assert.Equal($"{AlertsAppFixture.BaseUrl}/settings/mailboxes", alert.Link);
            var failed = alert.Deliveries.Single(d => d.ChannelId == webhookChannel);
            Assert.Equal((AlertDeliveryStatus.Retrying, 1), (failed.Status, failed.Attempts));
            Assert.Equal($"127.0.0.1:{app.Receiver.Port} answered 500 Internal Server Error: receiver error", failed.LastError);
            Assert.All(alert.Deliveries.Where(d => d.ChannelId != webhookChannel), d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
        }

        var (type, _, error) = Assert.Single(app.Jobs.Failed);
        Assert.Equal(typeof(AlertDeliveryJob), type);
        Assert.IsType<AlertDeliveryException>(error);

        await app.Jobs.RetryFailedAsync(app.Services);

        await using (var db = app.Db())
        {
            var delivery = await db.AlertDeliveries.SingleAsync(d => d.ChannelId == webhookChannel, Ct);
            Assert.Equal((AlertDeliveryStatus.Sent, 2, null), (delivery.Status, delivery.Attempts, delivery.LastError));
        }

        var received = app.Receiver.At("/hook");
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.Equal(WebhookAlertSender.Sign(AlertsAppFixture.SigningSecret, r.Body), r.Headers[WebhookAlertSender.SignatureHeader]));
        Assert.Empty(app.Jobs.Failed);
    }
}

/// <summary>Channel secrets at rest: the columns hold Data Protection ciphertext, never the password, URL token or signing secret.</summary>
public sealed class AlertSecretsAtRestTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddAsync_StoresNoPasswordUrlTokenOrSecretInClear_AndTheSenderCanStillReadThem()
    {
        const string password = "Sm7p-Pa55word-At-Rest";
        const string token = "T0KEN9xq2Secret";
        const string secret = "signing-secret-at-rest-42";
        var channels = app.Services.GetRequiredService<AlertChannels>();
        var mail = await channels.AddAsync(new AlertChannelInput("Secret mail", AlertChannelType.Email, "smtp.alerts.example", 587, SmtpTls.StartTls,
            "alerts@alerts.example", password, "deliverability@alerts.example", "ops@alerts.example"), "admin@alerts.example", Ct);
        var hook = await channels.AddAsync(new AlertChannelInput("Secret hook", AlertChannelType.Webhook,
            Url: $"https://hooks.alerts.example/services/{token}", SigningSecret: secret), "admin@alerts.example", Ct);
        Assert.Null(mail.Error);
        Assert.Null(hook.Error);

        await using var db = app.Db();
        var rows = await db.Database.SqlQuery<string>($"SELECT row_to_json(c)::text AS \"Value\" FROM alert_channels c WHERE name LIKE 'Secret %'").ToListAsync(Ct);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.DoesNotContain(password, row, StringComparison.Ordinal);
            Assert.DoesNotContain(token, row, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, row, StringComparison.Ordinal);
        });
        Assert.Contains(rows, r => r.Contains("\"url_host\":\"hooks.alerts.example\"", StringComparison.Ordinal));

        var protector = app.Services.GetRequiredService<SecretProtector>();
        var stored = await db.AlertChannels.AsNoTracking().Where(c => c.Name.StartsWith("Secret ")).ToListAsync(Ct);
        Assert.Equal(password, protector.TryUnprotect(AlertSecretPurposes.SmtpPassword, stored.Single(c => c.Type == AlertChannelType.Email).SmtpPasswordProtected!));
        var storedHook = stored.Single(c => c.Type == AlertChannelType.Webhook);
        Assert.Equal($"https://hooks.alerts.example/services/{token}", protector.TryUnprotect(AlertSecretPurposes.WebhookUrl, storedHook.UrlProtected!));
        Assert.Equal(secret, protector.TryUnprotect(AlertSecretPurposes.SigningSecret, storedHook.SigningSecretProtected!));
        Assert.Equal("hooks.alerts.example", storedHook.Destination);
    }

    [Fact]
    public async Task AddAsync_BadInput_SaysWhichFieldAndAddsNothing()
    {
        var channels = app.Services.GetRequiredService<AlertChannels>();
        Assert.Equal("The signing secret must be at least 16 characters (the receiver checks the signature with it).",
            (await channels.AddAsync(new AlertChannelInput("Short", AlertChannelType.Webhook, Url: "https://x.example/h", SigningSecret: "short"), "a", Ct)).Error);
        Assert.Equal("The webhook URL must be an absolute http:// or https:// address.",
            (await channels.AddAsync(new AlertChannelInput("Bad URL", AlertChannelType.Slack, Url: "hooks.slack.com/x"), "a", Ct)).Error);
        Assert.Equal("'ops@@example' is not an email address (To).",
            (await channels.AddAsync(new AlertChannelInput("Bad to", AlertChannelType.Email, "smtp.example", 25, MailFrom: "a@example.com", MailTo: "ops@@example"), "a", Ct)).Error);
        Assert.Equal("A channel named 'Ops mail' exists already.",
            (await channels.AddAsync(new AlertChannelInput("Ops mail", AlertChannelType.Slack, Url: "https://hooks.slack.com/x"), "a", Ct)).Error);
        await using var db = app.Db();
        Assert.Equal(app.ChannelIds.Count, await db.AlertChannels.CountAsync(c => !c.Name.StartsWith("Secret "), Ct));
    }
}
