using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Checks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "checks_enabled",
                table: "sending_ips",
                type: "boolean",
                nullable: false,
                // By hand: IPs tracked before this migration are checked (the model has no default: see SendingIpConfiguration).
                defaultValue: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "dkim_selectors",
                table: "sending_ips",
                type: "text[]",
                nullable: false,
                // By hand: existing rows get an empty list.
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "domains",
                table: "sending_ips",
                type: "text[]",
                nullable: false,
                // By hand: existing rows get an empty list.
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<string>(
                name: "helo_name",
                table: "sending_ips",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "blocklist_settings",
                columns: table => new
                {
                    zone = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_blocklist_settings", x => x.zone);
                });

            migrationBuilder.CreateTable(
                name: "check_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    pass_count = table.Column<int>(type: "integer", nullable: false),
                    warn_count = table.Column<int>(type: "integer", nullable: false),
                    fail_count = table.Column<int>(type: "integer", nullable: false),
                    unknown_count = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_check_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_check_runs_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "checks_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    spamhaus_dqs_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_checks_settings", x => x.id);
                    table.CheckConstraint("ck_checks_settings_singleton", "id = 1");
                });

            migrationBuilder.CreateTable(
                name: "check_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    check = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    target = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    from_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    to_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_check_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_check_changes_check_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "check_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_check_changes_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "check_results",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    check = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    target = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    link = table.Column<string>(type: "text", nullable: true),
                    checked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_check_results", x => x.id);
                    table.ForeignKey(
                        name: "fk_check_results_check_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "check_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_check_results_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_check_changes_run_id_check_target",
                table: "check_changes",
                columns: new[] { "run_id", "check", "target" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_check_changes_sending_ip_id_at",
                table: "check_changes",
                columns: new[] { "sending_ip_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_check_results_run_id_check_target",
                table: "check_results",
                columns: new[] { "run_id", "check", "target" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_check_results_sending_ip_id_check_target_checked_at",
                table: "check_results",
                columns: new[] { "sending_ip_id", "check", "target", "checked_at" });

            migrationBuilder.CreateIndex(
                name: "ix_check_runs_sending_ip_id_started_at",
                table: "check_runs",
                columns: new[] { "sending_ip_id", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blocklist_settings");

            migrationBuilder.DropTable(
                name: "check_changes");

            migrationBuilder.DropTable(
                name: "check_results");

            migrationBuilder.DropTable(
                name: "checks_settings");

            migrationBuilder.DropTable(
                name: "check_runs");

            migrationBuilder.DropColumn(
                name: "checks_enabled",
                table: "sending_ips");

            migrationBuilder.DropColumn(
                name: "dkim_selectors",
                table: "sending_ips");

            migrationBuilder.DropColumn(
                name: "domains",
                table: "sending_ips");

            migrationBuilder.DropColumn(
                name: "helo_name",
                table: "sending_ips");
        }
    }
}
