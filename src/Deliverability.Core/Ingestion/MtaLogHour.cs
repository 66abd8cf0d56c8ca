using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Ingestion;

/// <summary>
/// Delivery attempts read from an MTA log, counted per file, sending IP, hour, provider and provider code.
/// Derived from the stored lines (<see cref="MtaLogDelivery"/>) by <see cref="MtaLogHourCounts"/>; FileId is the earliest upload with lines in the group.
/// </summary>
public sealed class MtaLogHour
{
    public long Id { get; set; }
    public long FileId { get; set; }
    public long? SendingIpId { get; set; }
    public SendingIp? SendingIp { get; set; }
    public required string LogHost { get; set; }
    public DateTimeOffset Hour { get; set; }
    public required string Provider { get; set; }
    public string? ProviderCode { get; set; }
    public int Attempts { get; set; }
    public int Sent { get; set; }
    public int Deferred { get; set; }
    public int Bounced { get; set; }
    public bool MicrosoftBlock { get; set; }
    public DateTimeOffset FirstAt { get; set; }
    public string? SampleReply { get; set; }
}

/// <summary>SASL logins read from an MTA log, per file, user and hour: a sudden spike points at a stolen password.</summary>
public sealed class MtaLogLoginHour
{
    public long Id { get; set; }
    public long FileId { get; set; }
    public required string LogHost { get; set; }
    public DateTimeOffset Hour { get; set; }
    public required string User { get; set; }
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    public int ClientIps { get; set; }
}

public sealed class MtaLogHourConfiguration : IEntityTypeConfiguration<MtaLogHour>
{
    public void Configure(EntityTypeBuilder<MtaLogHour> builder)
    {
        builder.ToTable("mta_log_hours");
        builder.Property(x => x.LogHost).HasMaxLength(255);
        builder.Property(x => x.Provider).HasMaxLength(64);
        builder.Property(x => x.ProviderCode).HasMaxLength(32);
        builder.Property(x => x.SampleReply).HasMaxLength(1000);
        builder.HasIndex(x => new { x.SendingIpId, x.Hour });
        builder.HasIndex(x => x.Hour);
        builder.HasIndex(x => x.FileId);
        builder.HasOne(x => x.SendingIp).WithMany().HasForeignKey(x => x.SendingIpId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MtaLogLoginHourConfiguration : IEntityTypeConfiguration<MtaLogLoginHour>
{
    public void Configure(EntityTypeBuilder<MtaLogLoginHour> builder)
    {
        builder.ToTable("mta_log_login_hours");
        builder.Property(x => x.LogHost).HasMaxLength(255);
        builder.Property(x => x.User).HasMaxLength(320);
        builder.HasIndex(x => new { x.User, x.Hour });
        builder.HasIndex(x => x.FileId);
        builder.HasOne<IngestFile>().WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Derives the hourly counts (<see cref="MtaLogHour"/>, <see cref="MtaLogLoginHour"/>) of some log hosts from their
/// stored lines. Rebuilt, never added to: a line stored once counts once, whatever uploads brought it. Hours before the log-line
/// retention's latest cutoff (<see cref="Storage.StorageSettings.LogLinesRemovedBefore"/>) are not rebuilt: their lines may be gone,
/// and the counts are what is left of them.
/// </summary>
public static class MtaLogHourCounts
{
    public static async Task RebuildAsync(DeliverabilityDbContext db, IReadOnlyCollection<string> logHosts, CancellationToken ct)
    {
        if (logHosts.Count == 0)
        {
            return;
        }

        // Stored cleaned (COPY through StorableText), so looked up cleaned: a NUL in a parameter would fail the query.
        var hosts = logHosts.Select(h => StorableText.Clean(h)!).Distinct(StringComparer.Ordinal).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            DELETE FROM mta_log_hours WHERE log_host = ANY({hosts}) AND hour >= (SELECT coalesce(max(log_lines_removed_before), '-infinity') FROM storage_settings);
            INSERT INTO mta_log_hours (file_id, sending_ip_id, log_host, hour, provider, provider_code, attempts, sent, deferred, bounced,
                microsoft_block, first_at, sample_reply)
            SELECT min(file_id), sending_ip_id, log_host, date_trunc('hour', at, 'UTC'), coalesce(provider, 'other'), provider_code,
                count(*), count(*) FILTER (WHERE status = 'Sent'), count(*) FILTER (WHERE status = 'Deferred'),
                count(*) FILTER (WHERE status IN ('Bounced', 'Expired')), bool_or(is_microsoft_block), min(at),
                (array_agg(reply ORDER BY at) FILTER (WHERE status <> 'Sent' AND reply IS NOT NULL))[1]
            FROM mta_log_deliveries WHERE log_host = ANY({hosts}) AND at >= (SELECT coalesce(max(log_lines_removed_before), '-infinity') FROM storage_settings)
            GROUP BY sending_ip_id, log_host, date_trunc('hour', at, 'UTC'), coalesce(provider, 'other'), provider_code;
            DELETE FROM mta_log_login_hours WHERE log_host = ANY({hosts}) AND hour >= (SELECT coalesce(max(log_lines_removed_before), '-infinity') FROM storage_settings);
            INSERT INTO mta_log_login_hours (file_id, log_host, hour, "user", succeeded, failed, client_ips)
            SELECT min(file_id), log_host, date_trunc('hour', at, 'UTC'), coalesce("user", '(unknown)'),
                count(*) FILTER (WHERE succeeded), count(*) FILTER (WHERE NOT succeeded), count(DISTINCT client_ip)
            FROM mta_log_logins WHERE log_host = ANY({hosts}) AND at >= (SELECT coalesce(max(log_lines_removed_before), '-infinity') FROM storage_settings)
            GROUP BY log_host, date_trunc('hour', at, 'UTC'), coalesce("user", '(unknown)');
            """, ct);
    }
}
