using System.Net;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Reports;

/// <summary>One SMTP TLS report (RFC 8460), stored once per (organisation, report id).</summary>
public sealed class TlsReport
{
    public long Id { get; set; }
    public long? FileId { get; set; }
    public required string OrgName { get; set; }
    public required string ReportId { get; set; }
    public string? ContactInfo { get; set; }
    public DateTimeOffset Begin { get; set; }
    public DateTimeOffset End { get; set; }
    public long SuccessfulSessions { get; set; }
    public long FailedSessions { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>Sessions to one policy domain in a TLS report.</summary>
public sealed class TlsReportPolicy
{
    public long Id { get; set; }
    public long TlsReportId { get; set; }
    public required string PolicyType { get; set; }
    public string? PolicyDomain { get; set; }
    public string? MxHosts { get; set; }
    public long SuccessfulSessions { get; set; }
    public long FailedSessions { get; set; }
}

/// <summary>
/// One kind of failure in a TLS report. <see cref="ReceivingIp"/> is the MX the reporter tried; <see cref="SendingIpId"/> is set when that
/// address is a tracked IP (a server that sends and receives).
/// </summary>
public sealed class TlsReportFailure
{
    public long Id { get; set; }
    public long TlsReportPolicyId { get; set; }
    public required string ResultType { get; set; }
    public IPAddress? SendingMtaIp { get; set; }
    public string? ReceivingMxHostname { get; set; }
    public IPAddress? ReceivingIp { get; set; }
    public long? SendingIpId { get; set; }
    public long FailedSessions { get; set; }
    public string? FailureReasonCode { get; set; }
}

public sealed class TlsReportConfiguration : IEntityTypeConfiguration<TlsReport>
{
    public void Configure(EntityTypeBuilder<TlsReport> builder)
    {
        builder.ToTable("tls_reports");
        builder.Property(x => x.OrgName).HasMaxLength(255);
        builder.Property(x => x.ReportId).HasMaxLength(255);
        builder.Property(x => x.ContactInfo).HasMaxLength(500);
        builder.HasIndex(x => new { x.OrgName, x.ReportId }).IsUnique();
        builder.HasIndex(x => x.Begin);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class TlsReportPolicyConfiguration : IEntityTypeConfiguration<TlsReportPolicy>
{
    public void Configure(EntityTypeBuilder<TlsReportPolicy> builder)
    {
        builder.ToTable("tls_report_policies");
        builder.Property(x => x.PolicyType).HasMaxLength(32);
        builder.Property(x => x.PolicyDomain).HasMaxLength(255);
        builder.Property(x => x.MxHosts).HasMaxLength(1000);
        builder.HasIndex(x => x.PolicyDomain);
        builder.HasOne<TlsReport>().WithMany().HasForeignKey(x => x.TlsReportId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class TlsReportFailureConfiguration : IEntityTypeConfiguration<TlsReportFailure>
{
    public void Configure(EntityTypeBuilder<TlsReportFailure> builder)
    {
        builder.ToTable("tls_report_failures");
        builder.Property(x => x.ResultType).HasMaxLength(64);
        builder.Property(x => x.SendingMtaIp).HasColumnType("inet");
        builder.Property(x => x.ReceivingIp).HasColumnType("inet");
        builder.Property(x => x.ReceivingMxHostname).HasMaxLength(255);
        builder.Property(x => x.FailureReasonCode).HasMaxLength(500);
        builder.HasIndex(x => x.SendingIpId);
        builder.HasOne<TlsReportPolicy>().WithMany().HasForeignKey(x => x.TlsReportPolicyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
    }
}
