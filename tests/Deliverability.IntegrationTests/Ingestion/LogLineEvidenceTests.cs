using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Logs;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Ingestion;

/// <summary>Logs as line-by-line evidence, through the real ingest job: never lost (unattributed lines kept), never counted twice.</summary>
public class LogLineEvidenceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeliverabilityDbContext Db() => app.Factory.Database.CreateDbContext();

    /// <summary>A Postfix log of authenticated submissions from one host, each delivered once, all inside one hour.</summary>
    private static string PostfixLog(string host, int messages, string instance = "postfix", Func<int, string>? outcome = null)
    {
        var log = new StringBuilder();
        for (var i = 0; i < messages; i++)
        {
            var at = Start.AddSeconds(i * 20);
            var queueId = string.Create(CultureInfo.InvariantCulture, $"{host.Length:X1}{i:X8}");
            string T(int s) => at.AddSeconds(s).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
            log.Append(CultureInfo.InvariantCulture, $"{T(0)} {host} {instance}/submission/smtpd[200]: {queueId}: client=client.example.net[198.51.100.7], sasl_method=PLAIN, sasl_username=alice\n");
            log.Append(CultureInfo.InvariantCulture, $"{T(0)} {host} {instance}/cleanup[201]: {queueId}: message-id=<m{i}@example.com>\n");
            log.Append(CultureInfo.InvariantCulture, $"{T(1)} {host} {instance}/qmgr[202]: {queueId}: from=<alice@example.com>, size=1000, nrcpt=1 (queue active)\n");
            log.Append(CultureInfo.InvariantCulture, $"{T(2)} {host} {instance}/smtp[203]: {queueId}: to=<user{i}@example.net>, relay=mx.example.net[192.0.2.10]:25, delay=1, delays=0/0/0/1, {outcome?.Invoke(i) ?? "dsn=2.0.0, status=sent (250 2.0.0 OK)"}\n");
            log.Append(CultureInfo.InvariantCulture, $"{T(2)} {host} {instance}/qmgr[202]: {queueId}: removed\n");
        }

        return log.ToString();
    }

    private async Task<long> IngestAsync(string name, byte[] content, long? defaultIp = null)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
        var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, defaultIp, Ct);
        await uploads.AddFileAsync(batchId, name, new MemoryStream(content), Ct);
        await uploads.MarkSubmittedAsync(batchId, Ct);
        await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        return batchId;
    }

    private Task<long> IngestAsync(string name, string content) => IngestAsync(name, Encoding.UTF8.GetBytes(content));

    private async Task<long> TrackAsync(string address)
    {
        await using var db = Db();
        return await db.AddSendingIpAsync(address, ct: Ct);
    }

    private async Task AddRuleAsync(string host, long ipId)
    {
        await using var db = Db();
        db.SendingIpRules.Add(new SendingIpRule { Kind = SendingIpRuleKind.LogHost, Pattern = host, SendingIpId = ipId, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task GrownLog_UploadedAgain_AddsOnlyItsNewLines_AttemptsAndLoginsCountOnce()
    {
        var ipId = await TrackAsync("203.0.113.40");
        await AddRuleAsync("grow.example.com", ipId);
        var full = PostfixLog("grow.example.com", 140);
        var firstHalf = string.Concat(full.Split('\n').Take(70 * 5).Select(l => l + "\n"));

        await IngestAsync("maillog", firstHalf);
        var second = await IngestAsync("maillog.grown", full);

        await using var db = Db();
        var hours = await db.MtaLogHours.Where(h => h.LogHost == "grow.example.com").ToListAsync(Ct);
        Assert.Equal(140, hours.Sum(h => h.Attempts));
        Assert.All(hours, h => Assert.Equal(ipId, h.SendingIpId));
        Assert.Equal(140, await db.MtaLogDeliveries.CountAsync(d => d.LogHost == "grow.example.com", Ct));
        var logins = await db.MtaLogLoginHours.Where(l => l.LogHost == "grow.example.com").SumAsync(l => l.Succeeded, Ct);
        Assert.Equal(140, logins);
        var file = await db.IngestFiles.SingleAsync(f => f.BatchId == second, Ct);
        Assert.Equal((280, 140), (file.MessageCount, file.RepeatedEntryCount));
        Assert.Equal(140, (await db.IngestBatches.SingleAsync(b => b.Id == second, Ct)).LogEntryCount);
    }

    [Fact]
    public async Task SameLogTwice_IsStillADuplicateFile()
    {
        var log = PostfixLog("twice.example.com", 5);
        await IngestAsync("a.log", log);
        var second = await IngestAsync("b.log", log);

        await using var db = Db();
        var batch = await db.IngestBatches.SingleAsync(b => b.Id == second, Ct);
        Assert.Equal((1, 0), (batch.DuplicateCount, batch.LogEntryCount));
        Assert.Equal(5, await db.MtaLogDeliveries.CountAsync(d => d.LogHost == "twice.example.com", Ct));
    }

    [Fact]
    public async Task LogUploadedBeforeItsRule_IsKeptUnattributed_ThenAssigningTheHostAttributesTheStoredLines()
    {
        var log = PostfixLog("late.example.com", 12, instance: "postfix-out",
            outcome: i => i % 3 == 0
                ? "dsn=5.7.1, status=bounced (host mx.example.net[192.0.2.10] said: 554 5.7.1 Service unavailable; Client host [203.0.113.41] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.41 (in reply to RCPT TO command))"
                : "dsn=2.0.0, status=sent (250 2.0.0 OK)");
        await IngestAsync("late.log", log);
        var ipId = await TrackAsync("203.0.113.41");

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var attribution = scope.ServiceProvider.GetRequiredService<MtaLogAttribution>();
            var group = Assert.Single(await attribution.LoadUnattributedAsync(100, Ct), g => g.LogHost == "late.example.com");
            Assert.Equal(("postfix-out", 12, 4), (group.Instance, group.Lines, group.Refused));

            var outcome = await attribution.AssignHostAsync("late.example.com", "postfix-out", ipId, DateTimeOffset.UtcNow, Ct);
            Assert.Equal(12, outcome.LinesMoved);
            Assert.Contains(ipId, outcome.AffectedSendingIpIds);
            Assert.DoesNotContain(await attribution.LoadUnattributedAsync(100, Ct), g => g.LogHost == "late.example.com");
        }

        await using var db = Db();
        Assert.Equal(12, await db.MtaLogHours.Where(h => h.SendingIpId == ipId).SumAsync(h => h.Attempts, Ct));
        var refusal = await db.MtaLogDeliveries.FirstAsync(d => d.SendingIpId == ipId && d.Status == DeliveryStatus.Bounced, Ct);
        Assert.Equal(("zen.spamhaus.org", "blocked", 554, "5.7.1"), (refusal.Blocklist, refusal.Reason, refusal.ReplyCode, refusal.EnhancedStatus));
        Assert.Null((await db.MtaLogDeliveries.FirstAsync(d => d.SendingIpId == ipId && d.Status == DeliveryStatus.Sent, Ct)).Reason);
        Assert.True(await db.SendingIpRules.AnyAsync(r => r.Kind == SendingIpRuleKind.LogHost && r.Pattern == "late.example.com" && r.Instance == "postfix-out", Ct));
    }

    [Fact]
    public async Task Reparse_ReadsStoredLogsAndSndsAgain_WithTheRulesAndIpsAsTheyAreNow()
    {
        await IngestAsync("reparse.log", PostfixLog("reparse.example.com", 7));
        await IngestAsync("snds.csv", "198.51.100.77,11/29/2026 12:00 AM,11/30/2026 12:00 AM,10,10,10,GREEN,< 0.1%,,,0,helo.example.com,,\n");
        var ipId = await TrackAsync("203.0.113.42");
        var sndsIpId = await TrackAsync("198.51.100.77");
        await AddRuleAsync("reparse.example.com", ipId);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<ReparseJob>().RunAsync(Ct);
            Assert.True(outcome?.EvidenceFiles >= 2);
        }

        await using var db = Db();
        Assert.Equal(7, await db.MtaLogDeliveries.CountAsync(d => d.LogHost == "reparse.example.com" && d.SendingIpId == ipId, Ct));
        Assert.Equal(7, await db.MtaLogHours.Where(h => h.SendingIpId == ipId).SumAsync(h => h.Attempts, Ct));
        Assert.Equal(sndsIpId, (await db.SndsDays.SingleAsync(d => d.Ip == IPAddress.Parse("198.51.100.77"), Ct)).SendingIpId);
    }

    [Fact]
    public async Task EmptyZip_FailsAsAnEmptyArchive_NotADuplicate()
    {
        var first = await IngestAsync("empty.zip", []);
        var second = await IngestAsync("empty.zip", []);

        await using var db = Db();
        foreach (var batchId in new[] { first, second })
        {
            var file = await db.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct);
            Assert.Equal(IngestStatus.Failed, file.Status);
            Assert.Contains("empty archive", file.Error, StringComparison.Ordinal);
            Assert.Equal(0, (await db.IngestBatches.SingleAsync(b => b.Id == batchId, Ct)).DuplicateCount);
        }
    }

    [Fact]
    public async Task ZipWithNoFiles_IsAnEmptyArchive()
    {
        using var zip = new MemoryStream();
        using (new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
        }

        var batchId = await IngestAsync("nothing.zip", zip.ToArray());

        await using var db = Db();
        var file = await db.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct);
        Assert.Equal(IngestStatus.Failed, file.Status);
        Assert.Contains("empty archive", file.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report.pdf", "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document, not a message or log")]
    [InlineData("screenshot.png", "\u0089PNG\r\n\u001a\n\0\0\0\rIHDR", "a PNG image, not a message or log")]
    public async Task DocumentOrImage_SaysWhatItIs(string name, string content, string reason)
    {
        var batchId = await IngestAsync(name, Encoding.Latin1.GetBytes(content));

        await using var db = Db();
        var file = await db.IngestFiles.SingleAsync(f => f.BatchId == batchId, Ct);
        Assert.Equal(IngestStatus.Failed, file.Status);
        Assert.Contains(reason, file.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("MIME", file.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BlocklistMention_NamesTheZoneOrSaysUnnamed_AndIgnoresAReceiversOwnList()
    {
        Assert.Equal("zen.spamhaus.org", BlocklistMention.Find("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"));
        Assert.Equal("bl.spamcop.net", BlocklistMention.Find("550 rejected because 192.0.2.1 is in a black list at bl.spamcop.net"));
        Assert.Equal("dnsbl.example.org", BlocklistMention.Find("550 5.7.1 192.0.2.1 is listed at dnsbl.example.org (127.0.0.2)"));
        Assert.Equal("zen.spamhaus.org", BlocklistMention.Find("550 5.7.1 Listed by Spamhaus, see https://www.spamhaus.org/query/ip/192.0.2.1"));
        Assert.Equal(BlocklistMention.Unnamed, BlocklistMention.Find("550 Rejected because IP is in a black list"));
        Assert.Null(BlocklistMention.Find("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."));
        Assert.Null(BlocklistMention.Find("550 5.1.1 <a@example.net>: Recipient address rejected: User unknown"));
    }
}
