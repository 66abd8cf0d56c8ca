using System.Text.Json;
using Deliverability.Core.Alerts;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Alerts;

/// <summary>An S3150 bounce, end to end: ingest, diagnosis, one "blocked by Outlook.com" alert on each of the four channels.</summary>
public sealed class BlockAlertTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private const string Address = "198.51.100.77";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task S3150Bounce_SendsOneBlockedByOutlookAlertPerChannel_SignedAndLinked_AndARerunSendsNothing()
    {
        await app.IngestAsync(Address);
        var ipId = await app.IpIdAsync(Address);

        await using (var db = app.Db())
        {
            var alert = Assert.Single(await db.Alerts.Include(a => a.Deliveries).Where(a => a.Kind == AlertEventKind.IpBlocked).ToListAsync(Ct));
            Assert.Equal($"Blocked by Outlook.com: {Address}", alert.Title);
            Assert.StartsWith("Blocked by Outlook.com since 10 Mar 10:42 UTC (S3150)", alert.Text, StringComparison.Ordinal);
            Assert.Equal($"{AlertsAppFixture.BaseUrl}/ips/{ipId}", alert.Link);
            Assert.Equal(app.ChannelIds.Order(), alert.Deliveries.Select(d => d.ChannelId).Order());
            Assert.All(alert.Deliveries, d => Assert.Equal((AlertDeliveryStatus.Sent, 1, null), (d.Status, d.Attempts, d.LastError)));
            // The block's own code is in the block alert: not a second alert as a "new provider code".
            Assert.Equal(AlertEventState.Covered, (await db.AlertEvents.SingleAsync(e => e.Kind == AlertEventKind.NewProviderCode, Ct)).State);
            Assert.Equal(1, await db.Alerts.CountAsync(Ct));

            var mail = Assert.Single(SmtpSink.MessagesFor(app.MailTo, [alert.Id]));
            Assert.Equal($"[Deliverability] Blocked by Outlook.com: {Address}", mail.Subject);
            Assert.Equal(app.MailTo, mail.To.Mailboxes.Single().Address);
            Assert.Equal(app.Clock.GetUtcNow(), mail.Date);
            Assert.Contains($"{AlertsAppFixture.BaseUrl}/ips/{ipId}", mail.TextBody, StringComparison.Ordinal);
        }

        var hook = Assert.Single(app.Receiver.At("/hook"));
        Assert.Equal(WebhookAlertSender.Sign(AlertsAppFixture.SigningSecret, hook.Body), hook.Headers[WebhookAlertSender.SignatureHeader]);
        Assert.NotEqual(WebhookAlertSender.Sign("another-secret-of-16+", hook.Body), hook.Headers[WebhookAlertSender.SignatureHeader]);
        Assert.Equal(app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), hook.Headers[WebhookAlertSender.TimestampHeader]);
        using (var json = JsonDocument.Parse(hook.Body))
        {
            Assert.Equal("IpBlocked", json.RootElement.GetProperty("kind").GetString());
            Assert.Equal($"{AlertsAppFixture.BaseUrl}/ips/{ipId}", json.RootElement.GetProperty("link").GetString());
        }

        var slack = Assert.Single(app.Receiver.At("/slack"));
        Assert.False(slack.Headers.ContainsKey(WebhookAlertSender.SignatureHeader));
        using (var json = JsonDocument.Parse(slack.Body))
        {
            Assert.Equal($"Blocked by Outlook.com: {Address}", json.RootElement.GetProperty("text").GetString());
            Assert.Equal("header", json.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
        }

        var teams = Assert.Single(app.Receiver.At("/teams"));
        using (var json = JsonDocument.Parse(teams.Body))
        {
            Assert.Equal("MessageCard", json.RootElement.GetProperty("@type").GetString());
            Assert.Equal($"{AlertsAppFixture.BaseUrl}/ips/{ipId}",
                json.RootElement.GetProperty("potentialAction")[0].GetProperty("targets")[0].GetProperty("uri").GetString());
        }

        // The same bounce again, a re-run of the diagnosis and a sweep: the block is not new, nothing more is sent.
        await app.IngestAsync(Address);
        await app.SweepAsync();
        await using (var db = app.Db())
        {
            Assert.Equal(1, await db.Alerts.CountAsync(Ct));
            Assert.Single(await db.AlertEvents.Where(e => e.Kind == AlertEventKind.IpBlocked).ToListAsync(Ct));
        }

        Assert.Single(app.Receiver.At("/hook"));
        Assert.Empty(app.Jobs.Failed);
    }
}

/// <summary>Ten more blocks within the stacking window: nothing until it closes, then one summary per channel.</summary>
public sealed class StackingTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TenMoreBlocksWithinTheWindow_SendNothingUntilItCloses_ThenOneSummaryPerChannel()
    {
        await app.IngestAsync("198.51.100.10");
        var more = Enumerable.Range(11, 10).Select(i => $"198.51.100.{i}").ToArray();
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await app.IngestAsync(more);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await app.SweepAsync();

        await using (var db = app.Db())
        {
            Assert.Equal(1, await db.Alerts.CountAsync(Ct));
            Assert.Equal(10, await db.AlertEvents.CountAsync(e => e.Kind == AlertEventKind.IpBlocked && e.State == AlertEventState.Held, Ct));
        }

        Assert.Single(app.Receiver.At("/slack"));

        // 15 minutes after the first alert the window closes: the next sweep sends the ten as one summary.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.SweepAsync();

        await using (var db = app.Db())
        {
            var alerts = await db.Alerts.Include(a => a.Deliveries).OrderBy(a => a.Id).ToListAsync(Ct);
            Assert.Equal(2, alerts.Count);
            var summary = alerts[1];
            Assert.True(summary.IsSummary);
            Assert.Equal(10, summary.EventCount);
            Assert.Equal("10 IPs newly blocked by a provider", summary.Title);
            var titles = await db.AlertEvents.Where(e => e.AlertId == summary.Id).Select(e => e.Title).ToListAsync(Ct);
            Assert.Equal(more.Select(a => $"Blocked by Outlook.com: {a}").Order(StringComparer.Ordinal), titles.Order(StringComparer.Ordinal));
            Assert.All(more, address => Assert.Contains($"Blocked by Outlook.com since 10 Mar 10:42 UTC (S3150)", summary.Text, StringComparison.Ordinal));
            Assert.All(summary.Deliveries, d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
            Assert.Equal(4, summary.Deliveries.Count);
            Assert.Equal($"{AlertsAppFixture.BaseUrl}/alerts", summary.Link);
            Assert.Single(SmtpSink.MessagesFor(app.MailTo, [summary.Id]));
        }

        Assert.Equal(2, app.Receiver.At("/slack").Count);
        Assert.Equal(2, app.Receiver.At("/teams").Count);
        Assert.Equal(2, app.Receiver.At("/hook").Count);

        // A sweep later finds nothing held: no third alert.
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        await app.SweepAsync();
        await using var after = app.Db();
        Assert.Equal(2, await after.Alerts.CountAsync(Ct));
    }
}
