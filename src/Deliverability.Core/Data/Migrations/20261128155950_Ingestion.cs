using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Ingestion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ingest_batches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    default_sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    file_count = table.Column<int>(type: "integer", nullable: false),
                    total_bytes = table.Column<long>(type: "bigint", nullable: false),
                    processed_bytes = table.Column<long>(type: "bigint", nullable: false),
                    message_count = table.Column<int>(type: "integer", nullable: false),
                    parsed_count = table.Column<int>(type: "integer", nullable: false),
                    duplicate_count = table.Column<int>(type: "integer", nullable: false),
                    not_bounce_count = table.Column<int>(type: "integer", nullable: false),
                    error_count = table.Column<int>(type: "integer", nullable: false),
                    bounce_count = table.Column<int>(type: "integer", nullable: false),
                    complaint_count = table.Column<int>(type: "integer", nullable: false),
                    log_entry_count = table.Column<int>(type: "integer", nullable: false),
                    snds_row_count = table.Column<int>(type: "integer", nullable: false),
                    failure = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_batches", x => x.id);
                    table.ForeignKey(
                        name: "fk_ingest_batches_sending_ips_default_sending_ip_id",
                        column: x => x.default_sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "raw_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    size = table.Column<int>(type: "integer", nullable: false),
                    gzip = table.Column<byte[]>(type: "bytea", nullable: false),
                    first_batch_id = table.Column<long>(type: "bigint", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    parse_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_raw_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sending_ip_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    pattern = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    instance = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sending_ip_rules", x => x.id);
                    table.ForeignKey(
                        name: "fk_sending_ip_rules_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ingest_files",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    message_count = table.Column<int>(type: "integer", nullable: false),
                    processed_messages = table.Column<int>(type: "integer", nullable: false),
                    error_count = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_ingest_files_ingest_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "ingest_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "bounces",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    raw_message_id = table.Column<long>(type: "bigint", nullable: false),
                    recipient_index = table.Column<int>(type: "integer", nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    sending_ip_address = table.Column<IPAddress>(type: "inet", nullable: true),
                    sending_ip_source = table.Column<string>(type: "text", nullable: true),
                    recipient = table.Column<string>(type: "text", nullable: false),
                    recipient_domain = table.Column<string>(type: "text", nullable: true),
                    action = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: true),
                    reply_code = table.Column<int>(type: "integer", nullable: true),
                    diagnostic = table.Column<string>(type: "text", nullable: true),
                    remote_mta = table.Column<string>(type: "text", nullable: true),
                    reporting_mta = table.Column<string>(type: "text", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    hard_bounce = table.Column<bool>(type: "boolean", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    provider = table.Column<string>(type: "text", nullable: true),
                    provider_code = table.Column<string>(type: "text", nullable: true),
                    sender = table.Column<string>(type: "text", nullable: true),
                    sender_domain = table.Column<string>(type: "text", nullable: true),
                    original_message_id = table.Column<string>(type: "text", nullable: true),
                    dkim = table.Column<string>(type: "jsonb", nullable: false),
                    arrival_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bounces", x => x.id);
                    table.ForeignKey(
                        name: "fk_bounces_raw_messages_raw_message_id",
                        column: x => x.raw_message_id,
                        principalTable: "raw_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_bounces_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "complaints",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    raw_message_id = table.Column<long>(type: "bigint", nullable: false),
                    recipient_index = table.Column<int>(type: "integer", nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    source_ip = table.Column<IPAddress>(type: "inet", nullable: true),
                    feedback_type = table.Column<string>(type: "text", nullable: true),
                    provider = table.Column<string>(type: "text", nullable: true),
                    recipient = table.Column<string>(type: "text", nullable: true),
                    sender = table.Column<string>(type: "text", nullable: true),
                    sender_domain = table.Column<string>(type: "text", nullable: true),
                    original_message_id = table.Column<string>(type: "text", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_complaints", x => x.id);
                    table.ForeignKey(
                        name: "fk_complaints_raw_messages_raw_message_id",
                        column: x => x.raw_message_id,
                        principalTable: "raw_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_complaints_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "ingest_errors",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    message_index = table.Column<int>(type: "integer", nullable: true),
                    message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_errors", x => x.id);
                    table.ForeignKey(
                        name: "fk_ingest_errors_ingest_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "ingest_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_ingest_errors_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ingest_file_contents",
                columns: table => new
                {
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    gzip = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_file_contents", x => x.file_id);
                    table.ForeignKey(
                        name: "fk_ingest_file_contents_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mta_log_hours",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    log_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    provider = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    provider_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    sent = table.Column<int>(type: "integer", nullable: false),
                    deferred = table.Column<int>(type: "integer", nullable: false),
                    bounced = table.Column<int>(type: "integer", nullable: false),
                    microsoft_block = table.Column<bool>(type: "boolean", nullable: false),
                    first_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sample_reply = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mta_log_hours", x => x.id);
                    table.ForeignKey(
                        name: "fk_mta_log_hours_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_mta_log_hours_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "mta_log_login_hours",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    log_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    succeeded = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    client_ips = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mta_log_login_hours", x => x.id);
                    table.ForeignKey(
                        name: "fk_mta_log_login_hours_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "snds_days",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ip = table.Column<IPAddress>(type: "inet", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    activity_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    activity_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    rcpt_commands = table.Column<int>(type: "integer", nullable: false),
                    data_commands = table.Column<int>(type: "integer", nullable: false),
                    message_recipients = table.Column<int>(type: "integer", nullable: false),
                    filter_result = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    complaint_rate = table.Column<decimal>(type: "numeric(9,6)", precision: 9, scale: 6, nullable: true),
                    complaint_rate_is_upper_bound = table.Column<bool>(type: "boolean", nullable: false),
                    trap_period_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trap_period_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trap_hits = table.Column<int>(type: "integer", nullable: false),
                    sample_helo = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    sample_mail_from = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    comments = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_snds_days", x => x.id);
                    table.ForeignKey(
                        name: "fk_snds_days_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_snds_days_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_hash",
                table: "api_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bounces_batch_id",
                table: "bounces",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_bounces_provider_code_occurred_at",
                table: "bounces",
                columns: new[] { "provider_code", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_bounces_provider_occurred_at",
                table: "bounces",
                columns: new[] { "provider", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_bounces_raw_message_id_recipient_index",
                table: "bounces",
                columns: new[] { "raw_message_id", "recipient_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bounces_sending_ip_id_occurred_at",
                table: "bounces",
                columns: new[] { "sending_ip_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_complaints_raw_message_id_recipient_index",
                table: "complaints",
                columns: new[] { "raw_message_id", "recipient_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_complaints_sending_ip_id_occurred_at",
                table: "complaints",
                columns: new[] { "sending_ip_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ingest_batches_created_at",
                table: "ingest_batches",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_batches_default_sending_ip_id",
                table: "ingest_batches",
                column: "default_sending_ip_id");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_batches_status",
                table: "ingest_batches",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_errors_batch_id_file_id_message_index",
                table: "ingest_errors",
                columns: new[] { "batch_id", "file_id", "message_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ingest_errors_file_id",
                table: "ingest_errors",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_files_batch_id_position",
                table: "ingest_files",
                columns: new[] { "batch_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ingest_files_sha256",
                table: "ingest_files",
                column: "sha256");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_hours_file_id",
                table: "mta_log_hours",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_hours_sending_ip_id_hour",
                table: "mta_log_hours",
                columns: new[] { "sending_ip_id", "hour" });

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_login_hours_file_id",
                table: "mta_log_login_hours",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_login_hours_user_hour",
                table: "mta_log_login_hours",
                columns: new[] { "user", "hour" });

            migrationBuilder.CreateIndex(
                name: "ix_raw_messages_first_batch_id",
                table: "raw_messages",
                column: "first_batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_raw_messages_sha256",
                table: "raw_messages",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sending_ip_rules_kind_pattern_instance",
                table: "sending_ip_rules",
                columns: new[] { "kind", "pattern", "instance" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_sending_ip_rules_sending_ip_id",
                table: "sending_ip_rules",
                column: "sending_ip_id");

            migrationBuilder.CreateIndex(
                name: "ix_snds_days_file_id",
                table: "snds_days",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_snds_days_ip_day",
                table: "snds_days",
                columns: new[] { "ip", "day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_snds_days_sending_ip_id_day",
                table: "snds_days",
                columns: new[] { "sending_ip_id", "day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "bounces");

            migrationBuilder.DropTable(
                name: "complaints");

            migrationBuilder.DropTable(
                name: "ingest_errors");

            migrationBuilder.DropTable(
                name: "ingest_file_contents");

            migrationBuilder.DropTable(
                name: "mta_log_hours");

            migrationBuilder.DropTable(
                name: "mta_log_login_hours");

            migrationBuilder.DropTable(
                name: "sending_ip_rules");

            migrationBuilder.DropTable(
                name: "snds_days");

            migrationBuilder.DropTable(
                name: "raw_messages");

            migrationBuilder.DropTable(
                name: "ingest_files");

            migrationBuilder.DropTable(
                name: "ingest_batches");
        }
    }
}
