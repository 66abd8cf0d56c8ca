using System.Net;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Reports;

/// <summary>Messages a reporter saw on one day (the day its report's period begins), and how many passed DMARC.</summary>
public sealed record ReporterDay(DateOnly Day, string Reporter, long Messages, long DmarcPass);

/// <summary>Totals of one reporter: messages, DMARC passes, aligned DKIM and SPF passes.</summary>
public sealed record ReporterOutcome(string Reporter, long Messages, long DmarcPass, long DkimAlignedPass, long SpfAlignedPass, int Reports);

/// <summary>Messages of one From domain (header_from): DMARC, aligned DKIM and aligned SPF passes.</summary>
public sealed record FromDomainOutcome(string? HeaderFrom, long Messages, long DmarcPass, long DkimAlignedPass, long SpfAlignedPass);

/// <summary>One DKIM signature (domain and selector) as receivers evaluated it, for one From domain: messages carrying it and those it passed for.</summary>
public sealed record DkimSignatureOutcome(string? HeaderFrom, string? Domain, string? Selector, long Messages, long Passed);

/// <summary>One SPF identity (domain and scope) as receivers evaluated it, for one From domain.</summary>
public sealed record SpfIdentityOutcome(string? HeaderFrom, string? Domain, string? Scope, long Messages, long Passed);

public sealed record DispositionCount(string Disposition, long Messages);

/// <summary>What receivers' DMARC reports say about mail from one IP since a day. <see cref="Messages"/> 0: no report covers it (unknown).</summary>
public sealed record IpReportSummary(
    int Reports,
    long Messages,
    long DmarcPass,
    long DkimAlignedPass,
    long SpfAlignedPass,
    IReadOnlyList<ReporterDay> Days,
    IReadOnlyList<ReporterOutcome> Reporters,
    IReadOnlyList<FromDomainOutcome> Domains,
    IReadOnlyList<DkimSignatureOutcome> Signatures,
    IReadOnlyList<SpfIdentityOutcome> SpfIdentities,
    IReadOnlyList<DispositionCount> Dispositions);

/// <summary>One source IP seen sending for a domain. <see cref="SendingIpId"/> null: not a tracked IP ("unknown sender using your domain").</summary>
public sealed record SourceIpOutcome(IPAddress SourceIp, long? SendingIpId, string? Label, long Messages, long DmarcPass, long DkimAlignedPass,
    long SpfAlignedPass, int Reporters, DateOnly First, DateOnly Last);

public sealed record DomainReportSummary(string Domain, long Messages, long DmarcPass, IReadOnlyList<SourceIpOutcome> Sources, IReadOnlyList<ReporterOutcome> Reporters);

/// <summary>A domain reports were received for, with its messages since the day asked.</summary>
public sealed record ReportedDomain(string Domain, long Messages, long DmarcPass, int SourceIps);

public sealed record DmarcReportRow(long Id, string OrgName, string ReportId, string? PolicyDomain, string? PolicyP, DateTimeOffset Begin, DateTimeOffset End,
    int Records, long Messages, long DmarcPass, int Skipped);

public sealed record TlsReportRow(long Id, string OrgName, string ReportId, DateTimeOffset Begin, DateTimeOffset End, string? PolicyDomains,
    long SuccessfulSessions, long FailedSessions, string? FailureTypes);

/// <summary>The read models of stored receiver reports: per IP, per domain, and the lists of reports.</summary>
public sealed class ReportSummaries(IDbContextFactory<DeliverabilityDbContext> dbFactory)
{
    /// <summary>The summary of a tracked IP by its id; null when there is no such IP.</summary>
    public async Task<IpReportSummary?> ForSendingIpAsync(long sendingIpId, DateOnly since, CancellationToken ct)
    {
        IPAddress? address;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            address = await db.SendingIps.AsNoTracking().Where(s => s.Id == sendingIpId).Select(s => s.Address).SingleOrDefaultAsync(ct);
        }

        return address is null ? null : await ForIpAsync(address, since, ct);
    }

    private static readonly IpReportSummary NoReports = new(0, 0, 0, 0, 0, [], [], [], [], [], []);

    public async Task<IpReportSummary> ForIpAsync(IPAddress address, DateOnly since, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var records = db.DmarcRecords.AsNoTracking().Where(r => r.SourceIp == address && r.Day >= since);
        // Most IPs have no report: one query says so, instead of the seven that would each find nothing.
        var reportCount = await records.Select(r => r.DmarcReportId).Distinct().CountAsync(ct);
        if (reportCount == 0)
        {
            return NoReports;
        }

        var withReporter = records.Join(db.DmarcReports, r => r.DmarcReportId, p => p.Id, (r, p) => new { r, p.OrgName });

        var days = await withReporter.GroupBy(x => new { x.r.Day, x.OrgName })
            .Select(g => new ReporterDay(g.Key.Day, g.Key.OrgName, g.Sum(x => (long)x.r.Count), g.Sum(x => x.r.DmarcPass ? (long)x.r.Count : 0)))
            .ToListAsync(ct);
        var reporters = await withReporter.GroupBy(x => x.OrgName)
            .Select(g => new ReporterOutcome(g.Key, g.Sum(x => (long)x.r.Count), g.Sum(x => x.r.DmarcPass ? (long)x.r.Count : 0),
                g.Sum(x => x.r.Dkim == "pass" ? (long)x.r.Count : 0), g.Sum(x => x.r.Spf == "pass" ? (long)x.r.Count : 0),
                g.Select(x => x.r.DmarcReportId).Distinct().Count()))
            .ToListAsync(ct);
        var domains = await records.GroupBy(r => r.HeaderFrom)
            .Select(g => new FromDomainOutcome(g.Key, g.Sum(r => (long)r.Count), g.Sum(r => r.DmarcPass ? (long)r.Count : 0),
                g.Sum(r => r.Dkim == "pass" ? (long)r.Count : 0), g.Sum(r => r.Spf == "pass" ? (long)r.Count : 0)))
            .ToListAsync(ct);
        var signatures = await records
            .Join(db.DmarcDkimResults, r => new { r.DmarcReportId, r.Ordinal }, d => new { d.DmarcReportId, Ordinal = d.RecordOrdinal }, (r, d) => new { r.HeaderFrom, r.Count, d })
            .GroupBy(x => new { x.HeaderFrom, x.d.Domain, x.d.Selector })
            .Select(g => new DkimSignatureOutcome(g.Key.HeaderFrom, g.Key.Domain, g.Key.Selector, g.Sum(x => (long)x.Count), g.Sum(x => x.d.Result == "pass" ? (long)x.Count : 0)))
            .ToListAsync(ct);
        var spf = await records
            .Join(db.DmarcSpfResults, r => new { r.DmarcReportId, r.Ordinal }, s => new { s.DmarcReportId, Ordinal = s.RecordOrdinal }, (r, s) => new { r.HeaderFrom, r.Count, s })
            .GroupBy(x => new { x.HeaderFrom, x.s.Domain, x.s.Scope })
            .Select(g => new SpfIdentityOutcome(g.Key.HeaderFrom, g.Key.Domain, g.Key.Scope, g.Sum(x => (long)x.Count), g.Sum(x => x.s.Result == "pass" ? (long)x.Count : 0)))
            .ToListAsync(ct);
        var dispositions = await records.GroupBy(r => r.Disposition)
            .Select(g => new { g.Key, Messages = g.Sum(r => (long)r.Count) }).ToListAsync(ct);

        return new IpReportSummary(
            reportCount,
            reporters.Sum(r => r.Messages), reporters.Sum(r => r.DmarcPass), reporters.Sum(r => r.DkimAlignedPass), reporters.Sum(r => r.SpfAlignedPass),
            days.OrderBy(d => d.Day).ThenBy(d => d.Reporter, StringComparer.Ordinal).ToList(),
            reporters.OrderByDescending(r => r.Messages).ThenBy(r => r.Reporter, StringComparer.Ordinal).ToList(),
            domains.OrderByDescending(d => d.Messages).ThenBy(d => d.HeaderFrom, StringComparer.Ordinal).ToList(),
            signatures.OrderByDescending(s => s.Messages - s.Passed).ThenBy(s => s.Domain, StringComparer.Ordinal).ThenBy(s => s.Selector, StringComparer.Ordinal).ToList(),
            spf.OrderByDescending(s => s.Messages - s.Passed).ThenBy(s => s.Domain, StringComparer.Ordinal).ToList(),
            dispositions.Select(d => new DispositionCount(d.Key ?? "not reported", d.Messages)).OrderByDescending(d => d.Messages).ToList());
    }

    /// <summary>Every source IP that receivers saw sending mail for the domain (as its From domain or under its published policy).</summary>
    public async Task<DomainReportSummary> ForDomainAsync(string domain, DateOnly since, CancellationToken ct)
    {
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.DmarcRecords.AsNoTracking().Where(r => r.Day >= since)
            .Join(db.DmarcReports, r => r.DmarcReportId, p => p.Id, (r, p) => new { r, p.OrgName, p.PolicyDomain })
            .Where(x => x.r.HeaderFrom == domain || x.PolicyDomain == domain);
        var sources = await rows.GroupBy(x => x.r.SourceIp)
            .Select(g => new
            {
                Ip = g.Key, Messages = g.Sum(x => (long)x.r.Count), Pass = g.Sum(x => x.r.DmarcPass ? (long)x.r.Count : 0),
                Dkim = g.Sum(x => x.r.Dkim == "pass" ? (long)x.r.Count : 0), Spf = g.Sum(x => x.r.Spf == "pass" ? (long)x.r.Count : 0),
                Reporters = g.Select(x => x.OrgName).Distinct().Count(), First = g.Min(x => x.r.Day), Last = g.Max(x => x.r.Day),
            })
            .ToListAsync(ct);
        var reporters = await rows.GroupBy(x => x.OrgName)
            .Select(g => new ReporterOutcome(g.Key, g.Sum(x => (long)x.r.Count), g.Sum(x => x.r.DmarcPass ? (long)x.r.Count : 0),
                g.Sum(x => x.r.Dkim == "pass" ? (long)x.r.Count : 0), g.Sum(x => x.r.Spf == "pass" ? (long)x.r.Count : 0),
                g.Select(x => x.r.DmarcReportId).Distinct().Count()))
            .ToListAsync(ct);
        var addresses = sources.Select(s => s.Ip).ToList();
        var tracked = (await db.SendingIps.AsNoTracking().Where(s => addresses.Contains(s.Address)).Select(s => new { s.Address, s.Id, s.Label }).ToListAsync(ct))
            .ToDictionary(s => s.Address, s => (s.Id, s.Label));
        var list = sources
            .Select(s => new SourceIpOutcome(s.Ip, tracked.TryGetValue(s.Ip, out var t) ? t.Id : null, tracked.TryGetValue(s.Ip, out var l) ? l.Label : null,
                s.Messages, s.Pass, s.Dkim, s.Spf, s.Reporters, s.First, s.Last))
            .OrderByDescending(s => s.Messages).ThenBy(s => s.SourceIp.ToString(), StringComparer.Ordinal).ToList();
        return new DomainReportSummary(domain, list.Sum(s => s.Messages), list.Sum(s => s.DmarcPass), list,
            reporters.OrderByDescending(r => r.Messages).ThenBy(r => r.Reporter, StringComparer.Ordinal).ToList());
    }

    /// <summary>The domains reports were received for (their published policy's domain), most mail first.</summary>
    public async Task<IReadOnlyList<ReportedDomain>> DomainsAsync(DateOnly since, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DmarcRecords.AsNoTracking().Where(r => r.Day >= since)
            .Join(db.DmarcReports.Where(p => p.PolicyDomain != null), r => r.DmarcReportId, p => p.Id, (r, p) => new { r, Domain = p.PolicyDomain! })
            .GroupBy(x => x.Domain)
            .Select(g => new ReportedDomain(g.Key, g.Sum(x => (long)x.r.Count), g.Sum(x => x.r.DmarcPass ? (long)x.r.Count : 0), g.Select(x => x.r.SourceIp).Distinct().Count()))
            .ToListAsync(ct);
        return rows.OrderByDescending(d => d.Messages).ThenBy(d => d.Domain, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<DmarcReportRow>> RecentDmarcAsync(int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DmarcReports.AsNoTracking().OrderByDescending(r => r.Begin).ThenByDescending(r => r.Id).Take(take)
            .Select(r => new DmarcReportRow(r.Id, r.OrgName, r.ReportId, r.PolicyDomain, r.PolicyP, r.Begin, r.End, r.RecordCount, r.MessageCount,
                db.DmarcRecords.Where(x => x.DmarcReportId == r.Id && x.DmarcPass).Sum(x => (long)x.Count), r.SkippedRecordCount))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<TlsReportRow>> RecentTlsAsync(int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reports = await db.TlsReports.AsNoTracking().OrderByDescending(r => r.Begin).ThenByDescending(r => r.Id).Take(take).ToListAsync(ct);
        var ids = reports.Select(r => r.Id).ToList();
        var policies = await db.TlsReportPolicies.AsNoTracking().Where(p => ids.Contains(p.TlsReportId)).Select(p => new { p.Id, p.TlsReportId, p.PolicyDomain }).ToListAsync(ct);
        var policyIds = policies.Select(p => p.Id).ToList();
        var failures = await db.TlsReportFailures.AsNoTracking().Where(f => policyIds.Contains(f.TlsReportPolicyId)).Select(f => new { f.TlsReportPolicyId, f.ResultType, f.FailedSessions }).ToListAsync(ct);
        return reports.Select(r =>
        {
            var own = policies.Where(p => p.TlsReportId == r.Id).ToList();
            var types = failures.Where(f => own.Any(p => p.Id == f.TlsReportPolicyId)).GroupBy(f => f.ResultType)
                .Select(g => $"{g.Key} ({g.Sum(f => f.FailedSessions)})").ToList();
            var domains = own.Select(p => p.PolicyDomain).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            return new TlsReportRow(r.Id, r.OrgName, r.ReportId, r.Begin, r.End, domains.Count == 0 ? null : string.Join(", ", domains),
                r.SuccessfulSessions, r.FailedSessions, types.Count == 0 ? null : string.Join(", ", types));
        }).ToList();
    }
}
