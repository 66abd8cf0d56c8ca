using System.Net;
using Deliverability.Core.Alerts;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.IntegrationTests.Alerts;

/// <summary>The minute sweep: a case's first reply due within 24 hours, then overdue, each told once.</summary>
public sealed class DelistingDeadlineAlertTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sweep_FirstReplyDueIn3Hours_OneDueAlert_ThenOverdue_OneOverdueAlert_EachOnce()
    {
        long caseId;
        await using (var db = app.Db())
        {
            var ip = new SendingIp { Address = IPAddress.Parse("198.51.100.120"), CreatedAt = app.Clock.GetUtcNow().AddDays(-30) };
            db.SendingIps.Add(ip);
            await db.SaveChangesAsync(Ct);
            var delistingCase = new DelistingCase
            {
                SendingIpId = ip.Id, Target = "outlook.com", OpenedBy = "operator@alerts.example", State = DelistingCaseState.Open,
                OpenedAt = app.Clock.GetUtcNow().AddHours(-21), SubmittedAt = app.Clock.GetUtcNow().AddHours(-21),
                FirstReplyDueAt = app.Clock.GetUtcNow().AddHours(3),
            };
            db.DelistingCases.Add(delistingCase);
            await db.SaveChangesAsync(Ct);
            caseId = delistingCase.Id;
        }

        await app.SweepAsync();
        await app.SweepAsync();
        app.Clock.Advance(TimeSpan.FromHours(4));
        await app.SweepAsync();
        await app.SweepAsync();

        await using var check = app.Db();
        var alerts = await check.Alerts.Include(a => a.Deliveries).OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal([AlertEventKind.DelistingAnswerDue, AlertEventKind.DelistingAnswerOverdue], alerts.Select(a => a.Kind));
        Assert.Equal("Due soon: First reply of the Outlook.com delisting case for 198.51.100.120", alerts[0].Title);
        Assert.StartsWith("First reply of the Outlook.com delisting case for 198.51.100.120: due in 3 h (due 10 Mar 15:00 UTC).", alerts[0].Text, StringComparison.Ordinal);
        Assert.Equal("Overdue: First reply of the Outlook.com delisting case for 198.51.100.120", alerts[1].Title);
        Assert.All(alerts, a => Assert.Equal($"{AlertsAppFixture.BaseUrl}/delisting/{caseId}", a.Link));
        Assert.All(alerts.SelectMany(a => a.Deliveries), d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
        Assert.Equal(2, app.Receiver.At("/teams").Count);
    }
}
