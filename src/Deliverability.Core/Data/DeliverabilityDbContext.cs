using Deliverability.Core.Alerts;
using Deliverability.Core.Api;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Core.Users;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Data;

public sealed class DeliverabilityDbContext(DbContextOptions<DeliverabilityDbContext> options)
    : IdentityDbContext<DeliverabilityUser>(options)
{
    public DbSet<SendingIp> SendingIps => Set<SendingIp>();
    public DbSet<IngestBatch> IngestBatches => Set<IngestBatch>();
    public DbSet<IngestFile> IngestFiles => Set<IngestFile>();
    public DbSet<IngestFileContent> IngestFileContents => Set<IngestFileContent>();
    public DbSet<IngestError> IngestErrors => Set<IngestError>();
    public DbSet<RawMessage> RawMessages => Set<RawMessage>();
    public DbSet<Bounce> Bounces => Set<Bounce>();
    public DbSet<Complaint> Complaints => Set<Complaint>();
    public DbSet<SendingIpRule> SendingIpRules => Set<SendingIpRule>();
    public DbSet<MtaLogHour> MtaLogHours => Set<MtaLogHour>();
    public DbSet<MtaLogLoginHour> MtaLogLoginHours => Set<MtaLogLoginHour>();
    public DbSet<MtaLogDelivery> MtaLogDeliveries => Set<MtaLogDelivery>();
    public DbSet<MtaLogLogin> MtaLogLogins => Set<MtaLogLogin>();
    public DbSet<SndsDay> SndsDays => Set<SndsDay>();
    public DbSet<SndsIpStatusEntry> SndsIpStatus => Set<SndsIpStatusEntry>();
    public DbSet<Reports.DmarcReport> DmarcReports => Set<Reports.DmarcReport>();
    public DbSet<Reports.DmarcReportRecord> DmarcRecords => Set<Reports.DmarcReportRecord>();
    public DbSet<Reports.DmarcReportDkim> DmarcDkimResults => Set<Reports.DmarcReportDkim>();
    public DbSet<Reports.DmarcReportSpf> DmarcSpfResults => Set<Reports.DmarcReportSpf>();
    public DbSet<Reports.TlsReport> TlsReports => Set<Reports.TlsReport>();
    public DbSet<Reports.TlsReportPolicy> TlsReportPolicies => Set<Reports.TlsReportPolicy>();
    public DbSet<Reports.TlsReportFailure> TlsReportFailures => Set<Reports.TlsReportFailure>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<CheckRun> CheckRuns => Set<CheckRun>();
    public DbSet<StoredCheckResult> CheckResults => Set<StoredCheckResult>();
    public DbSet<CheckChange> CheckChanges => Set<CheckChange>();
    public DbSet<BlocklistSetting> BlocklistSettings => Set<BlocklistSetting>();
    public DbSet<ChecksSettings> ChecksSettings => Set<ChecksSettings>();
    public DbSet<UserAuditEntry> UserAudit => Set<UserAuditEntry>();
    public DbSet<BounceHour> BounceHours => Set<BounceHour>();
    public DbSet<IpStatusSnapshot> IpStatus => Set<IpStatusSnapshot>();
    public DbSet<IpDiagnosisRequest> IpDiagnosisRequests => Set<IpDiagnosisRequest>();
    public DbSet<IpDiagnosisScan> IpDiagnosisScans => Set<IpDiagnosisScan>();
    public DbSet<Jobs.JobClaimEntry> JobClaims => Set<Jobs.JobClaimEntry>();
    public DbSet<Mailboxes.MailboxSource> MailboxSources => Set<Mailboxes.MailboxSource>();
    public DbSet<Mailboxes.MailboxMessage> MailboxMessages => Set<Mailboxes.MailboxMessage>();
    public DbSet<RemediationItem> RemediationItems => Set<RemediationItem>();
    public DbSet<DelistingCase> DelistingCases => Set<DelistingCase>();
    public DbSet<DelistingStep> DelistingSteps => Set<DelistingStep>();
    public DbSet<DelistingCaseEvent> DelistingCaseEvents => Set<DelistingCaseEvent>();
    public DbSet<AlertEvent> AlertEvents => Set<AlertEvent>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<AlertDelivery> AlertDeliveries => Set<AlertDelivery>();
    public DbSet<AlertChannel> AlertChannels => Set<AlertChannel>();
    public DbSet<AlertRule> AlertRules => Set<AlertRule>();
    public DbSet<AlertSettings> AlertSettings => Set<AlertSettings>();
    public DbSet<AlertMute> AlertMutes => Set<AlertMute>();
    public DbSet<Storage.StorageSettings> StorageSettings => Set<Storage.StorageSettings>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<string>().HaveConversion<StorableText.Converter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DeliverabilityDbContext).Assembly);
    }
}
