using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DelistingSteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "block_codes",
                table: "delisting_cases",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "current_step_key",
                table: "delisting_cases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "decision_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "decision_due_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "decision_positive",
                table: "delisting_cases",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_block_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_reply_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_reply_due_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "reopen_count",
                table: "delisting_cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reopened_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "submitted_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ticket_number",
                table: "delisting_cases",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "unblock_due_at",
                table: "delisting_cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "delisting_case_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    what = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delisting_case_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_delisting_case_events_delisting_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "delisting_cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delisting_steps",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    done_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delisting_steps", x => x.id);
                    table.ForeignKey(
                        name: "fk_delisting_steps_delisting_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "delisting_cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_delisting_cases_one_unresolved_per_target",
                table: "delisting_cases",
                columns: new[] { "sending_ip_id", "target" },
                unique: true,
                filter: "state <> 'Resolved'");

            migrationBuilder.CreateIndex(
                name: "ix_delisting_case_events_case_id_at",
                table: "delisting_case_events",
                columns: new[] { "case_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_delisting_steps_case_id_position",
                table: "delisting_steps",
                columns: new[] { "case_id", "position" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delisting_case_events");

            migrationBuilder.DropTable(
                name: "delisting_steps");

            migrationBuilder.DropIndex(
                name: "ix_delisting_cases_one_unresolved_per_target",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "block_codes",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "current_step_key",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "decision_at",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "decision_due_at",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "decision_positive",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "first_block_at",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "first_reply_at",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "first_reply_due_at",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "reopen_count",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "reopened_at",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "submitted_at",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "ticket_number",
                table: "delisting_cases");

            migrationBuilder.DropColumn(
                name: "unblock_due_at",
                table: "delisting_cases");
        }
    }
}
