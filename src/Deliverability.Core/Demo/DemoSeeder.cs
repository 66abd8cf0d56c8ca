using System.Globalization;
using System.Net;
using System.Text;
using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Demo;

/// <summary>What <see cref="DemoSeeder"/> made.</summary>
public sealed record DemoSeedOutcome(int SendingIps, int Bounces, int Complaints, IReadOnlyList<long> SendingIpIds, long BlockedIpId);

/// <summary>
/// Fills an empty database with a labelled demo: five sending IPs ("DEMO · ..."), one blocked by Outlook.com after a
/// stolen password sent spam from it, one on two blocklists, one warming up, one healthy and one without data. The
/// bounces, complaints, log and SNDS export go through the real ingest pipeline as uploads would; the DNS check runs
/// are written as stored results (the demo's names do not resolve here). Then every IP is diagnosed and an Outlook.com
/// delisting case is opened for the blocked one.
/// </summary>
public sealed class DemoSeeder(DeliverabilityDbContext db, Ingest ingest, IpDiagnosisRequests diagnosis, DelistingCases cases, TimeProvider clock)
{
    public const string LabelPrefix = "DEMO · ";
    public const string Domain = "demo-shop.example";
    private const string Sender = "news@" + Domain;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static readonly IPAddress BlockedIp = IPAddress.Parse("203.0.113.25");
    public static readonly IPAddress ListedIp = IPAddress.Parse("203.0.113.26");
    public static readonly IPAddress WarmingIp = IPAddress.Parse("198.51.100.10");
    public static readonly IPAddress HealthyIp = IPAddress.Parse("198.51.100.11");
    public static readonly IPAddress SpareIp = IPAddress.Parse("192.0.2.50");

    public async Task<DemoSeedOutcome> SeedAsync(CancellationToken ct)
    {
        if (await db.SendingIps.AnyAsync(ct) || await db.IngestBatches.AnyAsync(ct))
        {
            throw new InvalidOperationException("The database already has sending IPs or uploads: seed-demo only fills an empty database.");
        }

        var now = clock.GetUtcNow();
        var ips = new[]
        {
            Ip(BlockedIp, "mx-out-1 (newsletters)", "mx-out-1." + Domain),
            Ip(ListedIp, "mx-out-2 (transactional)", "mx-out-2." + Domain),
            Ip(WarmingIp, "new IP, warming up", "mx-out-3." + Domain),
            Ip(HealthyIp, "billing", "billing." + Domain),
            Ip(SpareIp, "spare", null),
        };
        db.SendingIps.AddRange(ips);
        await db.SaveChangesAsync(ct);
        // Bounces that do not name the IP are attributed by the MTA that reported them, as an operator would set up.
        db.SendingIpRules.AddRange(ips.Where(i => i.HeloName is not null).Select(i => new SendingIpRule
        {
            Kind = SendingIpRuleKind.ReportingMta,
            Pattern = ReportingMta(i.Address),
            SendingIpId = i.Id,
            CreatedAt = now,
        }));
        await db.SaveChangesAsync(ct);

        var random = new Random(20261128);
        var blockStart = TruncateToHour(now.AddHours(-46)).AddMinutes(2);
        var messages = new List<(DateTimeOffset At, string Text)>();
        var serial = 0;

        // mx-out-1: a few unknown users at Gmail for ten days, then the stolen password's spam run, SC-001, then S3150.
        for (var hour = now.AddDays(-10); hour < now; hour = hour.AddHours(3))
        {
            if (random.Next(3) == 0) Bounce(hour.AddMinutes(random.Next(180)), $"old.customer{random.Next(9999)}@gmail.com", "gmail-smtp-in.l.google.com", "5.1.1",
                "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser", BlockedIp);
        }

        for (var i = 0; i < 24; i++)
        {
            Bounce(blockStart.AddHours(-20).AddMinutes(i * 37), $"reader{i}@outlook.com", "outlook-com.olc.protection.outlook.com", "5.7.1",
                $"550 SC-001 (COL004-MC1F12) Unfortunately, messages from {BlockedIp} weren't sent. Please contact your Internet service provider. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.", BlockedIp);
        }

        for (var at = blockStart; at < now; at = at.AddMinutes(4 + random.Next(8)))
        {
            Bounce(at, $"user{random.Next(100000)}@hotmail.com", "hotmail-com.olc.protection.outlook.com", "5.7.1",
                $"550 5.7.1 Unfortunately, messages from [{BlockedIp}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [Name=Protocol Filter Agent][AGT=PFA][MxId=11BB0FA5E1A3B2C4]", BlockedIp);
        }

        for (var i = 0; i < 14; i++)
        {
            var at = blockStart.AddHours(-30 + i * 3);
            messages.Add((at, DemoMessages.Arf(at, BlockedIp.ToString(), Sender, $"complainer{i}@hotmail.com", ++serial)));
        }

        // mx-out-2: refusals that name SpamCop.
        for (var i = 0; i < 30; i++)
        {
            Bounce(now.AddHours(-60 + i * 2), $"client{i}@example-isp.example", "mx.example-isp.example", "5.7.1",
                $"554 5.7.1 Service unavailable; Client host [{ListedIp}] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?{ListedIp}", ListedIp);
        }

        // The new IP: Outlook throttles it while it has no reputation.
        for (var i = 0; i < 40; i++)
        {
            Bounce(now.AddHours(-36 + i * 0.8), $"friend{i}@outlook.com", "outlook-com.olc.protection.outlook.com", "4.7.650",
                $"451 4.7.650 The mail server [{WarmingIp}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)", WarmingIp, delayed: true);
        }

        // Billing: the odd full mailbox.
        for (var i = 0; i < 6; i++)
        {
            Bounce(now.AddDays(-6 + i), $"customer{i}@yahoo.com", "mta7.am0.yahoodns.net", "4.2.2",
                "552 4.2.2 Mailbox full: the user's mailbox is over quota", HealthyIp);
        }

        long batchId;
        await using (var upload = await ingest.OpenAsync("demo", IngestSource.Cli, null, ct))
        {
            await upload.AddAsync("demo-bounces-and-complaints.mbox", new MemoryStream(DemoMessages.Mbox(messages)), ct);
            await upload.AddAsync("demo-mx-out-1-exim.log", new MemoryStream(EximLog(now, blockStart, random)), ct);
            await upload.AddAsync("demo-snds.csv", new MemoryStream(SndsExport(now)), ct);
            await upload.SubmitAndReadAsync(ct);
            batchId = upload.BatchId;
        }

        await DemoCheckRuns.StoreAsync(db, ips, now, ct);
        var ids = ips.Select(i => i.Id).ToList();
        await diagnosis.RefreshAsync(ids, ct);

        // The operator has started on the Outlook.com block: the case is open at "fix the causes".
        var demoCase = await cases.OpenAsync(ips[0].Id, "outlook.com", "demo", ct);
        var first = demoCase.Steps.OrderBy(st => st.Position).First();
        await cases.CompleteStepAsync(demoCase.Id, first.Key, "Seen in the demo bounces.", confirmOpenItems: false, "demo", ct);
        await diagnosis.RefreshAsync([ips[0].Id], ct);

        var batch = await db.IngestBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, ct);
        return new DemoSeedOutcome(ips.Length, batch.BounceCount, batch.ComplaintCount, ids, ips[0].Id);

        void Bounce(DateTimeOffset at, string recipient, string remote, string status, string reply, IPAddress from, bool delayed = false)
        {
            var text = DemoMessages.Dsn(new DemoMessages.BounceSpec(at, recipient, remote, status, reply), Sender, ReportingMta(from), ++serial);
            if (delayed) text = text.Replace("Action: failed", "Action: delayed", StringComparison.Ordinal).Replace("Subject: Undelivered Mail Returned to Sender", "Subject: Delayed Mail (still being retried)", StringComparison.Ordinal);
            messages.Add((at, text));
        }

        SendingIp Ip(IPAddress address, string label, string? helo) => new()
        {
            Address = address,
            Label = LabelPrefix + label,
            CreatedAt = now.AddDays(address.Equals(WarmingIp) ? -4 : -90),
            Domains = address.Equals(SpareIp) ? [] : [Domain],
            DkimSelectors = address.Equals(SpareIp) ? [] : [Domain + ":demo2026"],
            HeloName = helo,
        };
    }

    private static string ReportingMta(IPAddress ip) =>
        ip.Equals(BlockedIp) ? "mx-out-1." + Domain : ip.Equals(ListedIp) ? "mx-out-2." + Domain : ip.Equals(WarmingIp) ? "mx-out-3." + Domain : "billing." + Domain;

    private static DateTimeOffset TruncateToHour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    /// <summary>Five weeks of Exim log for mx-out-1: steady mail, then a burst sent with a stolen login just before the block.</summary>
    private static byte[] EximLog(DateTimeOffset now, DateTimeOffset blockStart, Random random)
    {
        var log = new StringBuilder();
        var id = 0;
        var burst = blockStart.AddHours(-22);
        for (var hour = TruncateToHour(now.AddDays(-35)); hour < now; hour = hour.AddHours(1))
        {
            var isBurst = hour >= TruncateToHour(burst) && hour < TruncateToHour(burst).AddHours(2);
            var blocked = hour >= TruncateToHour(blockStart);
            var count = isBurst ? 900 : 20 + random.Next(25);
            for (var i = 0; i < count; i++)
            {
                var at = hour.AddSeconds(i * 3600.0 / count);
                var stamp = at.ToString("yyyy-MM-dd HH:mm:ss", Invariant);
                var queue = string.Create(Invariant, $"1D{id / 1_000_000 % 10_000:0000}-{id % 1_000_000:000000}-AB");
                id++;
                var user = isBurst || i % 12 == 0 ? "sales@" + Domain : "newsletter@" + Domain;
                var recipient = $"r{random.Next(1_000_000)}@hotmail.com";
                log.Append(Invariant, $"{stamp} {queue} <= {user} H=app.{Domain} [192.0.2.10]:50123 I=[{BlockedIp}]:587 P=esmtpsa A=plain:{user} S=4096 id=demo{id}@{Domain}\n");
                if (blocked && random.Next(4) > 0)
                {
                    log.Append(Invariant, $"{stamp} {queue} ** {recipient} R=dnslookup T=remote_smtp H=hotmail-com.olc.protection.outlook.com [52.101.8.44] I=[{BlockedIp}]:52044: SMTP error from remote mail server after RCPT TO:<{recipient}>: 550 5.7.1 Unfortunately, messages from [{BlockedIp}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).\n");
                }
                else if (random.Next(20) == 0)
                {
                    log.Append(Invariant, $"{stamp} {queue} == {recipient} R=dnslookup T=remote_smtp defer (-44) H=hotmail-com.olc.protection.outlook.com [52.101.8.44] I=[{BlockedIp}]:52046: SMTP error from remote mail server after MAIL FROM:<{user}>: 421 4.7.650 The mail server [{BlockedIp}] has been temporarily rate limited due to IP reputation. (S775)\n");
                }
                else
                {
                    log.Append(Invariant, $"{stamp} {queue} => {recipient} R=dnslookup T=remote_smtp H=hotmail-com.olc.protection.outlook.com [52.101.8.44]:25 I=[{BlockedIp}]:40112 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes K C=\"250 2.6.0 <demo{id}@{Domain}> Queued mail for delivery\"\n");
                }
            }
        }

        return Encoding.UTF8.GetBytes(log.ToString());
    }

    /// <summary>A week of SNDS data: mx-out-1 goes from green to red with the complaints; the others stay green.</summary>
    private static byte[] SndsExport(DateTimeOffset now)
    {
        var csv = new StringBuilder();
        for (var d = 7; d >= 1; d--)
        {
            var day = now.UtcDateTime.Date.AddDays(-d);
            var start = day.ToString("M/d/yyyy h:mm tt", Invariant);
            var end = day.AddHours(23).AddMinutes(59).ToString("M/d/yyyy h:mm tt", Invariant);
            var (filter, rate, traps) = d switch
            {
                <= 2 => ("RED", "3.4%", 6),
                3 => ("YELLOW", "0.9%", 2),
                _ => ("GREEN", "< 0.1%", 0),
            };
            var trapStart = traps > 0 ? start : "";
            var trapEnd = traps > 0 ? end : "";
            csv.Append(Invariant, $"{BlockedIp},{start},{end},{1200 + d * 40},{1190 + d * 40},{1190 + d * 40},{filter},{rate},{trapStart},{trapEnd},{traps},mx-out-1.{Domain},{Sender},\n");
            csv.Append(Invariant, $"{HealthyIp},{start},{end},{300 + d},{300 + d},{300 + d},GREEN,< 0.1%,,,,billing.{Domain},billing@{Domain},\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
