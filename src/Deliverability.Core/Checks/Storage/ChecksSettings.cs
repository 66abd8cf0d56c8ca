using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Checks.Storage;

/// <summary>An operator's choice to query (or not) one blocklist zone, overriding configuration and the catalogue default.</summary>
public sealed class BlocklistSetting
{
    public required string Zone { get; set; }
    public bool Enabled { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Settings of the checks kept in the database (one row, id 1): today the Spamhaus DQS key.</summary>
public sealed class ChecksSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>
    /// Overrides Checks:SpamhausDqsKey when set: the key encrypted with Data Protection (<see cref="Secrets.SecretProtector"/>,
    /// purpose <see cref="Secrets.SecretPurposes.SpamhausDqsKey"/>); written and read only through <see cref="SpamhausDqsKeys"/>.
    /// </summary>
    public string? ProtectedSpamhausDqsKey { get; set; }

    /// <summary>A key stored in plain text before keys were encrypted; <see cref="SpamhausDqsKeys.EncryptPlainKeysAsync"/> encrypts and clears it.</summary>
    public string? LegacyPlainSpamhausDqsKey { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>"••••" plus the last 4 characters for keys long enough that this reveals little; never the whole key.</summary>
    public static string Mask(string key) => key.Length >= 16 ? "••••" + key[^4..] : "••••";
}

public sealed class BlocklistSettingConfiguration : IEntityTypeConfiguration<BlocklistSetting>
{
    public void Configure(EntityTypeBuilder<BlocklistSetting> builder)
    {
        builder.ToTable("blocklist_settings");
        builder.HasKey(x => x.Zone);
        builder.Property(x => x.Zone).HasMaxLength(253);
    }
}

public sealed class ChecksSettingsConfiguration : IEntityTypeConfiguration<ChecksSettings>
{
    public void Configure(EntityTypeBuilder<ChecksSettings> builder)
    {
        builder.ToTable("checks_settings", t => t.HasCheckConstraint("ck_checks_settings_singleton", "id = 1"));
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.LegacyPlainSpamhausDqsKey).HasMaxLength(200);
    }
}
