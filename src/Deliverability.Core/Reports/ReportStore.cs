using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.Core.Reports;

/// <summary>What became of one report document.</summary>
public sealed record ReportOutcome(string Path, ReportKind Kind, bool Stored, bool Duplicate, string? Error, int Records = 0, long Messages = 0,
    IReadOnlyList<SkippedRecord>? Skipped = null)
{
    public static ReportOutcome Refused(string path, ReportKind kind, string error) => new(path, kind, false, false, error);
}

/// <summary>
/// Stores one DMARC aggregate or TLS report in its own transaction, once: a report whose (organisation, report id) is already stored is a
/// duplicate and nothing of it is written again; a report that cannot be read writes nothing. DMARC records are streamed into their
/// tables by <see cref="DmarcRecordCopy"/>, so a report of any size is never whole in memory.
/// </summary>
public sealed class ReportStore(DeliverabilityDbContext db, TimeProvider clock)
{
    public async Task<ReportOutcome> StoreDmarcAsync(Stream xml, string path, long? fileId, CancellationToken ct)
    {
        DmarcAggregateReader reader;
        try
        {
            reader = DmarcAggregateReader.Open(xml);
        }
        catch (ReportFormatException e)
        {
            return ReportOutcome.Refused(path, ReportKind.Dmarc, $"{path} is not a readable DMARC report: {e.Message}");
        }

        using (reader)
        {
            var header = reader.Header;
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                var reportId = await InsertReportAsync(connection, header, fileId, ct);
                if (reportId is null)
                {
                    return new ReportOutcome(path, ReportKind.Dmarc, false, true, null);
                }

                var copy = new DmarcRecordCopy(connection, reportId.Value, DateOnly.FromDateTime(header.Begin.UtcDateTime));
                var (records, messages) = await copy.CopyAsync(reader, ct);
                // Each record is attached to the tracked IP it came from, in one join (most sources of a big report are not ours).
                await ExecuteAsync(connection, tx, """
                    UPDATE dmarc_records r SET sending_ip_id = s.id FROM sending_ips s WHERE r.dmarc_report_id = @report AND s.address = r.source_ip;
                    UPDATE dmarc_reports SET record_count = @records, message_count = @messages, skipped_record_count = @skipped WHERE id = @report;
                    """, ct, ("report", reportId.Value), ("records", records), ("messages", messages), ("skipped", reader.Skipped.Count));
                await tx.CommitAsync(ct);
                return new ReportOutcome(path, ReportKind.Dmarc, true, false, null, records, messages, reader.Skipped);
            }
            catch (ReportFormatException e)
            {
                return ReportOutcome.Refused(path, ReportKind.Dmarc, $"{path} is not a readable DMARC report: {e.Message}");
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // The same report stored at the same moment by another upload: it is there once.
                return new ReportOutcome(path, ReportKind.Dmarc, false, true, null);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    public async Task<ReportOutcome> StoreTlsAsync(Stream json, string path, long? fileId, CancellationToken ct)
    {
        ParsedTlsReport report;
        try
        {
            report = TlsReportReader.Read(json);
        }
        catch (ReportFormatException e)
        {
            return ReportOutcome.Refused(path, ReportKind.Tls, $"{path} is not a readable SMTP TLS report: {e.Message}");
        }

        var (org, id) = (Cut(report.OrgName)!, Cut(report.ReportId)!);
        if (await db.TlsReports.AnyAsync(r => r.OrgName == org && r.ReportId == id, ct))
        {
            return new ReportOutcome(path, ReportKind.Tls, false, true, null);
        }

        var tracked = await db.SendingIps.AsNoTracking().ToDictionaryAsync(x => x.Address, x => x.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stored = new TlsReport
        {
            FileId = fileId, OrgName = org, ReportId = id, ContactInfo = Cut(report.ContactInfo, 500),
            Begin = report.Begin, End = report.End, SuccessfulSessions = report.Policies.Sum(p => p.SuccessfulSessions),
            FailedSessions = report.Policies.Sum(p => p.FailedSessions), ReceivedAt = clock.GetUtcNow(),
        };
        db.TlsReports.Add(stored);
        await db.SaveChangesAsync(ct);
        foreach (var policy in report.Policies)
        {
            var row = new TlsReportPolicy
            {
                TlsReportId = stored.Id, PolicyType = Cut(policy.PolicyType, 32)!, PolicyDomain = Cut(policy.PolicyDomain), MxHosts = Cut(policy.MxHosts, 1000),
                SuccessfulSessions = policy.SuccessfulSessions, FailedSessions = policy.FailedSessions,
            };
            db.TlsReportPolicies.Add(row);
            await db.SaveChangesAsync(ct);
            db.TlsReportFailures.AddRange(policy.Failures.Select(f => new TlsReportFailure
            {
                TlsReportPolicyId = row.Id, ResultType = Cut(f.ResultType, 64)!, SendingMtaIp = f.SendingMtaIp, ReceivingMxHostname = Cut(f.ReceivingMxHostname),
                ReceivingIp = f.ReceivingIp, FailedSessions = f.FailedSessions, FailureReasonCode = Cut(f.FailureReasonCode, 500),
                SendingIpId = f.ReceivingIp is { } ip && tracked.TryGetValue(ip, out var id) ? id : null,
            }));
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new ReportOutcome(path, ReportKind.Tls, true, false, null, report.Policies.Count, stored.SuccessfulSessions + stored.FailedSessions);
    }

    private async Task<long?> InsertReportAsync(NpgsqlConnection connection, DmarcReportHeader h, long? fileId, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO dmarc_reports (file_id, org_name, report_id, email, "begin", "end", policy_domain, policy_p, policy_sp, policy_pct, adkim, aspf,
                record_count, message_count, skipped_record_count, received_at)
            VALUES (@file, @org, @id, @email, @begin, @end, @domain, @p, @sp, @pct, @adkim, @aspf, 0, 0, 0, @now)
            ON CONFLICT (org_name, report_id) DO NOTHING RETURNING id
            """, connection);
        insert.Parameters.Add(new NpgsqlParameter("file", NpgsqlDbType.Bigint) { Value = (object?)fileId ?? DBNull.Value });
        insert.Parameters.AddWithValue("org", Clean(Cut(h.OrgName))!);
        insert.Parameters.AddWithValue("id", Clean(Cut(h.ReportId))!);
        Add(insert, "email", Cut(h.Email, 320));
        insert.Parameters.AddWithValue("begin", h.Begin);
        insert.Parameters.AddWithValue("end", h.End);
        Add(insert, "domain", Cut(h.PolicyDomain));
        Add(insert, "p", Cut(h.PolicyP, 16));
        Add(insert, "sp", Cut(h.PolicySp, 16));
        insert.Parameters.Add(new NpgsqlParameter("pct", NpgsqlDbType.Integer) { Value = (object?)h.PolicyPct ?? DBNull.Value });
        Add(insert, "adkim", Cut(h.Adkim, 8));
        Add(insert, "aspf", Cut(h.Aspf, 8));
        insert.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await insert.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    private static void Add(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)Clean(value) ?? DBNull.Value });

    private static string? Clean(string? value) => StorableText.Clean(value);

    internal static string? Cut(string? value, int max = 255) => value is null || value.Length <= max ? value : value[..max];
}
