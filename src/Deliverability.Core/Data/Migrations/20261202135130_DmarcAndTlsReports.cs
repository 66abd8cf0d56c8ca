using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DmarcAndTlsReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "report_count",
                table: "ingest_batches",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "dmarc_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    file_id = table.Column<long>(type: "bigint", nullable: true),
                    org_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    report_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    begin = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    policy_domain = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    policy_p = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    policy_sp = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    policy_pct = table.Column<int>(type: "integer", nullable: true),
                    adkim = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    aspf = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    record_count = table.Column<int>(type: "integer", nullable: false),
                    message_count = table.Column<long>(type: "bigint", nullable: false),
                    skipped_record_count = table.Column<int>(type: "integer", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dmarc_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_dmarc_reports_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "tls_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    file_id = table.Column<long>(type: "bigint", nullable: true),
                    org_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    report_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    contact_info = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    begin = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    successful_sessions = table.Column<long>(type: "bigint", nullable: false),
                    failed_sessions = table.Column<long>(type: "bigint", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tls_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_tls_reports_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "dmarc_records",
                columns: table => new
                {
                    dmarc_report_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    source_ip = table.Column<IPAddress>(type: "inet", nullable: false),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    disposition = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    dkim = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    spf = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    dmarc_pass = table.Column<bool>(type: "boolean", nullable: false),
                    reasons = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    header_from = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    envelope_from = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    envelope_to = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dmarc_records", x => new { x.dmarc_report_id, x.ordinal });
                    table.ForeignKey(
                        name: "fk_dmarc_records_dmarc_reports_dmarc_report_id",
                        column: x => x.dmarc_report_id,
                        principalTable: "dmarc_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dmarc_records_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "tls_report_policies",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tls_report_id = table.Column<long>(type: "bigint", nullable: false),
                    policy_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    policy_domain = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    mx_hosts = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    successful_sessions = table.Column<long>(type: "bigint", nullable: false),
                    failed_sessions = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tls_report_policies", x => x.id);
                    table.ForeignKey(
                        name: "fk_tls_report_policies_tls_reports_tls_report_id",
                        column: x => x.tls_report_id,
                        principalTable: "tls_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dmarc_dkim_results",
                columns: table => new
                {
                    dmarc_report_id = table.Column<long>(type: "bigint", nullable: false),
                    record_ordinal = table.Column<int>(type: "integer", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    domain = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    selector = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    result = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dmarc_dkim_results", x => new { x.dmarc_report_id, x.record_ordinal, x.ordinal });
                    table.ForeignKey(
                        name: "fk_dmarc_dkim_results_dmarc_records_dmarc_report_id_record_ord",
                        columns: x => new { x.dmarc_report_id, x.record_ordinal },
                        principalTable: "dmarc_records",
                        principalColumns: new[] { "dmarc_report_id", "ordinal" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dmarc_spf_results",
                columns: table => new
                {
                    dmarc_report_id = table.Column<long>(type: "bigint", nullable: false),
                    record_ordinal = table.Column<int>(type: "integer", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    domain = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    result = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dmarc_spf_results", x => new { x.dmarc_report_id, x.record_ordinal, x.ordinal });
                    table.ForeignKey(
                        name: "fk_dmarc_spf_results_dmarc_records_dmarc_report_id_record_ordi",
                        columns: x => new { x.dmarc_report_id, x.record_ordinal },
                        principalTable: "dmarc_records",
                        principalColumns: new[] { "dmarc_report_id", "ordinal" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tls_report_failures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tls_report_policy_id = table.Column<long>(type: "bigint", nullable: false),
                    result_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sending_mta_ip = table.Column<IPAddress>(type: "inet", nullable: true),
                    receiving_mx_hostname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    receiving_ip = table.Column<IPAddress>(type: "inet", nullable: true),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    failed_sessions = table.Column<long>(type: "bigint", nullable: false),
                    failure_reason_code = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tls_report_failures", x => x.id);
                    table.ForeignKey(
                        name: "fk_tls_report_failures_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_tls_report_failures_tls_report_policies_tls_report_policy_id",
                        column: x => x.tls_report_policy_id,
                        principalTable: "tls_report_policies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dmarc_records_header_from_day",
                table: "dmarc_records",
                columns: new[] { "header_from", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_dmarc_records_sending_ip_id_day",
                table: "dmarc_records",
                columns: new[] { "sending_ip_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_dmarc_records_source_ip_day",
                table: "dmarc_records",
                columns: new[] { "source_ip", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_dmarc_reports_begin",
                table: "dmarc_reports",
                column: "begin");

            migrationBuilder.CreateIndex(
                name: "ix_dmarc_reports_file_id",
                table: "dmarc_reports",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_dmarc_reports_org_name_report_id",
                table: "dmarc_reports",
                columns: new[] { "org_name", "report_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tls_report_failures_sending_ip_id",
                table: "tls_report_failures",
                column: "sending_ip_id");

            migrationBuilder.CreateIndex(
                name: "ix_tls_report_failures_tls_report_policy_id",
                table: "tls_report_failures",
                column: "tls_report_policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_tls_report_policies_policy_domain",
                table: "tls_report_policies",
                column: "policy_domain");

            migrationBuilder.CreateIndex(
                name: "ix_tls_report_policies_tls_report_id",
                table: "tls_report_policies",
                column: "tls_report_id");

            migrationBuilder.CreateIndex(
                name: "ix_tls_reports_begin",
                table: "tls_reports",
                column: "begin");

            migrationBuilder.CreateIndex(
                name: "ix_tls_reports_file_id",
                table: "tls_reports",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_tls_reports_org_name_report_id",
                table: "tls_reports",
                columns: new[] { "org_name", "report_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dmarc_dkim_results");

            migrationBuilder.DropTable(
                name: "dmarc_spf_results");

            migrationBuilder.DropTable(
                name: "tls_report_failures");

            migrationBuilder.DropTable(
                name: "dmarc_records");

            migrationBuilder.DropTable(
                name: "tls_report_policies");

            migrationBuilder.DropTable(
                name: "dmarc_reports");

            migrationBuilder.DropTable(
                name: "tls_reports");

            migrationBuilder.DropColumn(
                name: "report_count",
                table: "ingest_batches");
        }
    }
}
