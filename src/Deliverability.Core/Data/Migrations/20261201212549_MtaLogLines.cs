using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class MtaLogLines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "repeated_entry_count",
                table: "ingest_files",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "mta_log_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: true),
                    log_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    instance = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    program = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    transport = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    local_ip = table.Column<IPAddress>(type: "inet", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recipient = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    sender = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    sender_domain = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    message_id = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    queue_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    submitted_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    relay_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reply_code = table.Column<int>(type: "integer", nullable: true),
                    enhanced_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    command = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    provider = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    provider_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    blocklist = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    is_microsoft_block = table.Column<bool>(type: "boolean", nullable: false),
                    reply = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    line_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mta_log_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_mta_log_deliveries_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_mta_log_deliveries_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "mta_log_logins",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    log_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    instance = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    client_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    client_ip = table.Column<IPAddress>(type: "inet", nullable: true),
                    method = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    line_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mta_log_logins", x => x.id);
                    table.ForeignKey(
                        name: "fk_mta_log_logins_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_deliveries_file_id",
                table: "mta_log_deliveries",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_deliveries_line_hash",
                table: "mta_log_deliveries",
                column: "line_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_deliveries_log_host_instance",
                table: "mta_log_deliveries",
                columns: new[] { "log_host", "instance" });

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_deliveries_sending_ip_id_at",
                table: "mta_log_deliveries",
                columns: new[] { "sending_ip_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_logins_file_id",
                table: "mta_log_logins",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_logins_line_hash",
                table: "mta_log_logins",
                column: "line_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_logins_log_host_at",
                table: "mta_log_logins",
                columns: new[] { "log_host", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mta_log_deliveries");

            migrationBuilder.DropTable(
                name: "mta_log_logins");

            migrationBuilder.DropColumn(
                name: "repeated_entry_count",
                table: "ingest_files");
        }
    }
}
