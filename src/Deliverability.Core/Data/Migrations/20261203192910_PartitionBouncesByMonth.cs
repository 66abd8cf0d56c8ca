using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class PartitionBouncesByMonth : Migration
    {
        /// <summary>
        /// Creates the partition of PARENT for the UTC month of MONTH unless it exists, moving the rows its default partition
        /// caught for that month into it first; returns the new partition's name, or null when it existed or an existing
        /// partition (the history) covers the month. Serialised per partition by an advisory lock, so concurrent callers are safe.
        /// </summary>
        private const string EnsureMonthPartitionFunction = """
            CREATE FUNCTION ensure_month_partition(parent regclass, key_column text, month date) RETURNS text
            LANGUAGE plpgsql AS $$
            DECLARE
                first_day date := date_trunc('month', month)::date;
                partition_name text := format('%s_p%s', parent::text, to_char(first_day, 'YYYY_MM'));
                lower_bound timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
                upper_bound timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
                default_partition regclass;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtextextended('partition:' || partition_name, 0));
                IF to_regclass(partition_name) IS NOT NULL THEN
                    RETURN NULL;
                END IF;
                SELECT i.inhrelid::regclass INTO default_partition
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
                BEGIN
                    EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)', partition_name, parent);
                    IF default_partition IS NOT NULL THEN
                        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
                            default_partition, key_column, key_column, partition_name) USING lower_bound, upper_bound;
                    END IF;
                    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, partition_name, lower_bound, upper_bound);
                EXCEPTION WHEN invalid_object_definition THEN
                    -- "would overlap partition": the history partition already holds this month.
                    RETURN NULL;
                END;
                RETURN partition_name;
            END $$;
            """;

        /// <summary>
        /// Turns bounces into a table partitioned by month on occurred_at without rewriting its rows: the existing table becomes
        /// the partition bounces_history (everything before next month: a CHECK constraint proves it, so attaching scans once
        /// and locks nothing for long), then this month and three ahead get their partitions, and a default partition catches
        /// rows outside every range so an insert never fails. PostgreSQL 15 partitioned tables take no identity column: the ids
        /// continue from a sequence. Unique keys must hold the partition key: (id, occurred_at) and (raw_message_id,
        /// recipient_index, occurred_at); nothing relies on the narrower ones (a re-parse deletes a message's rows before writing).
        /// </summary>
        private const string PartitionBounces = """
            DO $$
            DECLARE
                next_month timestamptz := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
                next_id bigint;
            BEGIN
                ALTER TABLE bounces RENAME TO bounces_history;
                ALTER INDEX pk_bounces RENAME TO bounces_history_pkey_id;
                ALTER INDEX ix_bounces_raw_message_id_recipient_index RENAME TO bounces_history_raw_message_id_recipient_index;
                ALTER INDEX ix_bounces_batch_id RENAME TO bounces_history_batch_id;
                ALTER INDEX ix_bounces_occurred_at RENAME TO bounces_history_occurred_at;
                ALTER INDEX ix_bounces_provider_code_occurred_at RENAME TO bounces_history_provider_code_occurred_at;
                ALTER INDEX ix_bounces_provider_occurred_at RENAME TO bounces_history_provider_occurred_at;
                ALTER INDEX ix_bounces_reason_occurred_at RENAME TO bounces_history_reason_occurred_at;
                ALTER INDEX ix_bounces_sending_ip_id_occurred_at RENAME TO bounces_history_sending_ip_id_occurred_at;
                ALTER TABLE bounces_history DROP CONSTRAINT fk_bounces_raw_messages_raw_message_id;
                ALTER TABLE bounces_history DROP CONSTRAINT fk_bounces_sending_ips_sending_ip_id;

                SELECT COALESCE(max(id), 0) + 1 INTO next_id FROM bounces_history;
                ALTER TABLE bounces_history ALTER COLUMN id DROP IDENTITY;
                EXECUTE format('CREATE SEQUENCE bounces_id_seq START %s', next_id);

                CREATE TABLE bounces (LIKE bounces_history INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION) PARTITION BY RANGE (occurred_at);
                ALTER TABLE bounces ALTER COLUMN id SET DEFAULT nextval('bounces_id_seq');
                ALTER SEQUENCE bounces_id_seq OWNED BY bounces.id;
                ALTER TABLE bounces ADD CONSTRAINT pk_bounces PRIMARY KEY (id, occurred_at);
                CREATE UNIQUE INDEX ix_bounces_raw_message_id_recipient_index_occurred_at ON bounces (raw_message_id, recipient_index, occurred_at);
                CREATE INDEX ix_bounces_batch_id ON bounces (batch_id);
                CREATE INDEX ix_bounces_occurred_at ON bounces (occurred_at);
                CREATE INDEX ix_bounces_provider_code_occurred_at ON bounces (provider_code, occurred_at);
                CREATE INDEX ix_bounces_provider_occurred_at ON bounces (provider, occurred_at);
                CREATE INDEX ix_bounces_reason_occurred_at ON bounces (reason, occurred_at);
                CREATE INDEX ix_bounces_sending_ip_id_occurred_at ON bounces (sending_ip_id, occurred_at);
                ALTER TABLE bounces ADD CONSTRAINT fk_bounces_raw_messages_raw_message_id FOREIGN KEY (raw_message_id) REFERENCES raw_messages (id) ON DELETE CASCADE;
                ALTER TABLE bounces ADD CONSTRAINT fk_bounces_sending_ips_sending_ip_id FOREIGN KEY (sending_ip_id) REFERENCES sending_ips (id) ON DELETE SET NULL;

                -- The narrow keys go; attaching builds the parent's wider ones on the partition (a partition takes only its parent's primary key).
                ALTER TABLE bounces_history DROP CONSTRAINT bounces_history_pkey_id;
                DROP INDEX bounces_history_raw_message_id_recipient_index;
                EXECUTE format('ALTER TABLE bounces_history ADD CONSTRAINT bounces_history_range CHECK (occurred_at < %L)', next_month);
                EXECUTE format('ALTER TABLE bounces ATTACH PARTITION bounces_history FOR VALUES FROM (MINVALUE) TO (%L)', next_month);
                ALTER TABLE bounces_history DROP CONSTRAINT bounces_history_range;

                CREATE TABLE bounces_default PARTITION OF bounces DEFAULT;
                FOR i IN 1..3 LOOP
                    PERFORM ensure_month_partition('bounces'::regclass, 'occurred_at', ((next_month AT TIME ZONE 'UTC') + make_interval(months => i - 1))::date);
                END LOOP;
            END $$;
            """;

        /// <summary>Back to one plain table with an identity column: the rows of every partition, the narrow keys.</summary>
        private const string UnpartitionBounces = """
            DO $$
            DECLARE
                next_id bigint;
            BEGIN
                CREATE TABLE bounces_flat (LIKE bounces INCLUDING STORAGE INCLUDING COMPRESSION);
                INSERT INTO bounces_flat SELECT * FROM bounces;
                SELECT COALESCE(max(id), 0) + 1 INTO next_id FROM bounces_flat;
                DROP TABLE bounces;
                ALTER TABLE bounces_flat RENAME TO bounces;
                EXECUTE format('ALTER TABLE bounces ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START %s)', next_id);
                ALTER TABLE bounces ADD CONSTRAINT pk_bounces PRIMARY KEY (id);
                CREATE UNIQUE INDEX ix_bounces_raw_message_id_recipient_index ON bounces (raw_message_id, recipient_index);
                CREATE INDEX ix_bounces_batch_id ON bounces (batch_id);
                CREATE INDEX ix_bounces_occurred_at ON bounces (occurred_at);
                CREATE INDEX ix_bounces_provider_code_occurred_at ON bounces (provider_code, occurred_at);
                CREATE INDEX ix_bounces_provider_occurred_at ON bounces (provider, occurred_at);
                CREATE INDEX ix_bounces_reason_occurred_at ON bounces (reason, occurred_at);
                CREATE INDEX ix_bounces_sending_ip_id_occurred_at ON bounces (sending_ip_id, occurred_at);
                ALTER TABLE bounces ADD CONSTRAINT fk_bounces_raw_messages_raw_message_id FOREIGN KEY (raw_message_id) REFERENCES raw_messages (id) ON DELETE CASCADE;
                ALTER TABLE bounces ADD CONSTRAINT fk_bounces_sending_ips_sending_ip_id FOREIGN KEY (sending_ip_id) REFERENCES sending_ips (id) ON DELETE SET NULL;
            END $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "storage_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    bounce_retention_months = table.Column<int>(type: "integer", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storage_settings", x => x.id);
                    table.CheckConstraint("ck_storage_settings_bounce_retention", "bounce_retention_months IS NULL OR bounce_retention_months >= 4");
                    table.CheckConstraint("ck_storage_settings_singleton", "id = 1");
                });

            migrationBuilder.Sql(EnsureMonthPartitionFunction);
            migrationBuilder.Sql(PartitionBounces);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "storage_settings");

            migrationBuilder.Sql(UnpartitionBounces);
            migrationBuilder.Sql("DROP FUNCTION ensure_month_partition(regclass, text, date)");
        }
    }
}
