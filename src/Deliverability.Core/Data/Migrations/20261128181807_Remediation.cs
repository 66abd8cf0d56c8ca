using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Remediation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "delisting_cases",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    target = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    opened_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delisting_cases", x => x.id);
                    table.ForeignKey(
                        name: "fk_delisting_cases_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ip_bounce_hours",
                columns: table => new
                {
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    provider = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    family = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    bounces = table.Column<int>(type: "integer", nullable: false),
                    hard = table.Column<int>(type: "integer", nullable: false),
                    unknown_user = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ip_bounce_hours", x => new { x.sending_ip_id, x.hour, x.provider, x.family });
                    table.ForeignKey(
                        name: "fk_ip_bounce_hours_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ip_status",
                columns: table => new
                {
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    health = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    blocked_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    block_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    blocked_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    verdict = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    next_step = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    listed_on = table.Column<int>(type: "integer", nullable: false),
                    auth_failures = table.Column<int>(type: "integer", nullable: false),
                    sender_score = table.Column<int>(type: "integer", nullable: true),
                    last_checked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    bounces24h = table.Column<int>(type: "integer", nullable: false),
                    bounces7d = table.Column<int>(type: "integer", nullable: false),
                    hard_bounce_rate = table.Column<double>(type: "double precision", nullable: true),
                    unknown_user_rate = table.Column<double>(type: "double precision", nullable: true),
                    open_items = table.Column<int>(type: "integer", nullable: false),
                    open_cases = table.Column<int>(type: "integer", nullable: false),
                    last_bounce_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ip_status", x => x.sending_ip_id);
                    table.ForeignKey(
                        name: "fk_ip_status_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "remediation_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    cause = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    action = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    verification = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    verified_by = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    evidence = table.Column<string>(type: "jsonb", nullable: false),
                    still_evident = table.Column<bool>(type: "boolean", nullable: false),
                    done = table.Column<bool>(type: "boolean", nullable: false),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    done_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remediation_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_remediation_items_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_delisting_cases_sending_ip_id_target_state",
                table: "delisting_cases",
                columns: new[] { "sending_ip_id", "target", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_ip_status_bounces7d",
                table: "ip_status",
                column: "bounces7d");

            migrationBuilder.CreateIndex(
                name: "ix_ip_status_health",
                table: "ip_status",
                column: "health");

            migrationBuilder.CreateIndex(
                name: "ix_remediation_items_sending_ip_id_done",
                table: "remediation_items",
                columns: new[] { "sending_ip_id", "done" });

            migrationBuilder.CreateIndex(
                name: "ix_remediation_items_sending_ip_id_key",
                table: "remediation_items",
                columns: new[] { "sending_ip_id", "key" },
                unique: true);

            // Bounces stored before this migration get their hourly counts now; later changes rebuild them per IP.
            migrationBuilder.Sql(Deliverability.Core.Ingestion.BounceHours.FillAllSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delisting_cases");

            migrationBuilder.DropTable(
                name: "ip_bounce_hours");

            migrationBuilder.DropTable(
                name: "ip_status");

            migrationBuilder.DropTable(
                name: "remediation_items");
        }
    }
}
