using System.IO.Compression;
using System.Net;
using System.Text;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Demo;

/// <summary>
/// Volume for measuring the pages: <c>bounces</c> bounce rows over <c>ips</c> sending IPs in 198.18.0.0/15 (the
/// benchmarking range), spread over 30 days, written by PostgreSQL itself (INSERT ... SELECT over generate_series).
/// One IP in fifty is refused by Outlook.com with S3150 over the last two days.
/// </summary>
public sealed class DemoBulkSeeder(DeliverabilityDbContext db, TimeProvider clock)
{
    /// <summary>Bounce rows share stored messages, this many per message, as one report can list many recipients.</summary>
    public const int RecipientsPerMessage = 100;

    public async Task<IReadOnlyList<long>> SeedAsync(int bounces, int ips, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bounces, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ips, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ips, 65_536);
        var now = clock.GetUtcNow();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));

        var addresses = Enumerable.Range(0, ips).Select(i => new IPAddress(new byte[] { 198, (byte)(18 + (i >> 16)), (byte)((i >> 8) & 0xff), (byte)(i & 0xff) })).ToList();
        var existing = (await db.SendingIps.Where(s => addresses.Contains(s.Address)).Select(s => s.Address).ToListAsync(ct)).ToHashSet();
        db.SendingIps.AddRange(addresses.Where(a => !existing.Contains(a)).Select((a, i) => new SendingIp
        {
            Address = a,
            Label = $"{DemoSeeder.LabelPrefix}bulk {a.GetAddressBytes()[2] * 256 + a.GetAddressBytes()[3] + 1:0000}",
            CreatedAt = now.AddDays(-60),
            Domains = [DemoSeeder.Domain],
        }));
        await db.SaveChangesAsync(ct);
        var ipIds = await db.SendingIps.Where(s => addresses.Contains(s.Address)).OrderBy(s => s.Id).Select(s => s.Id).ToArrayAsync(ct);

        var batch = new IngestBatch { CreatedAt = now, CreatedBy = "demo-bulk", Source = IngestSource.Cli, Status = IngestStatus.Completed, FinishedAt = now, BounceCount = bounces };
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync(ct);

        var messages = (bounces + RecipientsPerMessage - 1) / RecipientsPerMessage;
        var gzip = Gzip("Subject: DEMO bulk bounce report\r\n\r\nSynthetic report made by deliverability seed-demo --bounces for measuring the pages.\r\n");
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO raw_messages (sha256, size, gzip, first_batch_id, received_at, kind, subject)
            SELECT sha256(convert_to('demo-bulk-' || {batch.Id} || '-' || g, 'UTF8')), {gzip.Length}, {gzip}, {batch.Id}, {now}, 'Bounce', 'DEMO bulk bounce report'
            FROM generate_series(0, {messages - 1}) AS g
            """, ct);
        var firstMessage = await db.RawMessages.Where(m => m.FirstBatchId == batch.Id).MinAsync(m => m.Id, ct);

        // Deterministic spread: hashes of the row number pick the IP, time, provider and reason.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO bounces (raw_message_id, recipient_index, batch_id, sending_ip_id, sending_ip_address, sending_ip_source, recipient,
                recipient_domain, action, status, reply_code, diagnostic, remote_mta, reporting_mta, reason, hard_bounce, kind, provider,
                provider_code, sender, sender_domain, dkim, occurred_at)
            SELECT {firstMessage} + g / {RecipientsPerMessage}, g % {RecipientsPerMessage}, {batch.Id}, ip.id, ip.address, 'demo',
                   'user' || g || '@' || p.domain, p.domain, 'failed', r.status, r.code, r.text, p.mx, 'mx.demo-shop.example', r.reason,
                   r.reason IN ('userunknown', 'hostunknown'), 'Bounce', p.provider, r.provider_code, 'news@demo-shop.example', 'demo-shop.example', '[]',
                   CASE WHEN blocked THEN {now} - ((h2 % 172800) * interval '1 second') ELSE {now} - ((h2 % 2592000) * interval '1 second') END
            FROM generate_series(0, {bounces - 1}) AS g
            CROSS JOIN LATERAL (SELECT hashint4(g)::bigint & 2147483647 AS h1, hashint4(g + 7919)::bigint & 2147483647 AS h2) h
            CROSS JOIN LATERAL (SELECT ({ipIds})[1 + (h1 % {ipIds.Length})::int] AS ip_id) pick
            JOIN sending_ips ip ON ip.id = pick.ip_id
            CROSS JOIN LATERAL (SELECT (ip.id % 50 = 0) AS blocked) b
            CROSS JOIN LATERAL (SELECT * FROM (VALUES
                (0, 'outlook.com', 'hotmail.com', 'hotmail-com.olc.protection.outlook.com'),
                (1, 'gmail', 'gmail.com', 'gmail-smtp-in.l.google.com'),
                (2, 'yahoo', 'yahoo.com', 'mta7.am0.yahoodns.net'),
                (3, '', 'example.net', 'mx.example.net')) AS v(n, provider, domain, mx)
                WHERE v.n = CASE WHEN blocked AND h2 % 5 > 0 THEN 0 ELSE h1 % 4 END) p
            CROSS JOIN LATERAL (SELECT * FROM (VALUES
                (0, 'blocked', '5.7.1', 550, 'S3150', '550 5.7.1 Unfortunately, messages from [' || host(ip.address) || '] weren''t sent. Please contact your Internet service provider since part of their network is on our block list (S3150).'),
                (1, 'userunknown', '5.1.1', 550, NULL, '550 5.1.1 The email account that you tried to reach does not exist.'),
                (2, 'mailboxfull', '5.2.2', 552, NULL, '552 5.2.2 Mailbox full'),
                (3, 'spamdetected', '5.7.1', 554, NULL, '554 5.7.1 Message rejected as spam by content filtering.')) AS v(n, reason, status, code, provider_code, text)
                WHERE v.n = CASE WHEN blocked AND p.provider = 'outlook.com' THEN 0 ELSE 1 + h2 % 3 END) r
            """, ct);
        // As every writer of bounces does: their hourly counts in the same go (the timeline reads those).
        await db.Database.ExecuteSqlRawAsync(BounceHours.AddForBatchSql, [new Npgsql.NpgsqlParameter("batch", batch.Id)], ct);
        // Millions of rows in one statement and autovacuum has not looked yet: without statistics the diagnosis that follows
        // plans its per-IP reads as on an empty table (seen: a 30 s timeout on the first IP after 10M rows).
        await db.Database.ExecuteSqlRawAsync("ANALYZE bounces, raw_messages, ip_bounce_hours", ct);
        return ipIds;
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
