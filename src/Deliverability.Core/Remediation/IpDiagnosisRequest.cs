using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Remediation;

/// <summary>
/// An IP whose diagnosis was asked for and has not yet completed (table ip_diagnosis_requests). Written before the job is
/// queued, removed by the diagnosis that covers it: a job that was lost or failed leaves its row, and the hourly refresh
/// (<see cref="DiagnosisDue"/>) diagnoses the IP again.
/// </summary>
public sealed class IpDiagnosisRequest
{
    public long SendingIpId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
}

/// <summary>
/// One pass of the hourly refresh (table ip_diagnosis_scans): every IP it did not find due was current as of
/// <see cref="ScannedAt"/>, so the next pass only looks at evidence whose windows moved since then.
/// </summary>
public sealed class IpDiagnosisScan
{
    public long Id { get; set; }
    public DateTimeOffset ScannedAt { get; set; }

    /// <summary>True for a full re-diagnosis (every IP), false for an incremental refresh.</summary>
    public bool Full { get; set; }

    public int DueIps { get; set; }
}

public sealed class IpDiagnosisRequestConfiguration : IEntityTypeConfiguration<IpDiagnosisRequest>
{
    public void Configure(EntityTypeBuilder<IpDiagnosisRequest> builder)
    {
        builder.ToTable("ip_diagnosis_requests");
        builder.HasKey(x => x.SendingIpId);
        builder.HasOne<SendingIp>().WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class IpDiagnosisScanConfiguration : IEntityTypeConfiguration<IpDiagnosisScan>
{
    public void Configure(EntityTypeBuilder<IpDiagnosisScan> builder)
    {
        builder.ToTable("ip_diagnosis_scans");
        builder.HasIndex(x => x.ScannedAt);
    }
}
