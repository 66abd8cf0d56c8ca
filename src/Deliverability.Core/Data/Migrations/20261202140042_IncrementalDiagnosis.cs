using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class IncrementalDiagnosis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_at",
                table: "ip_bounce_hours",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_at",
                table: "ip_bounce_hours",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // The hourly counts again from the bounces, with the first and last time of each hour: before this version the
            // diagnosis rebuilt them, so an IP ingested since its last diagnosis had stale ones.
            migrationBuilder.Sql(Deliverability.Core.Ingestion.BounceHours.RefillSql);

            migrationBuilder.CreateTable(
                name: "ip_diagnosis_requests",
                columns: table => new
                {
                    sending_ip_id = table.Column<long>(type: "bigint", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ip_diagnosis_requests", x => x.sending_ip_id);
                    table.ForeignKey(
                        name: "fk_ip_diagnosis_requests_sending_ips_sending_ip_id",
                        column: x => x.sending_ip_id,
                        principalTable: "sending_ips",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ip_diagnosis_scans",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    scanned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    full = table.Column<bool>(type: "boolean", nullable: false),
                    due_ips = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ip_diagnosis_scans", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_snds_days_day",
                table: "snds_days",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_hours_hour",
                table: "mta_log_hours",
                column: "hour");

            migrationBuilder.CreateIndex(
                name: "ix_ip_bounce_hours_hour",
                table: "ip_bounce_hours",
                column: "hour");

            migrationBuilder.CreateIndex(
                name: "ix_complaints_occurred_at",
                table: "complaints",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_ip_diagnosis_scans_scanned_at",
                table: "ip_diagnosis_scans",
                column: "scanned_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ip_diagnosis_requests");

            migrationBuilder.DropTable(
                name: "ip_diagnosis_scans");

            migrationBuilder.DropIndex(
                name: "ix_snds_days_day",
                table: "snds_days");

            migrationBuilder.DropIndex(
                name: "ix_mta_log_hours_hour",
                table: "mta_log_hours");

            migrationBuilder.DropIndex(
                name: "ix_ip_bounce_hours_hour",
                table: "ip_bounce_hours");

            migrationBuilder.DropIndex(
                name: "ix_complaints_occurred_at",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "first_at",
                table: "ip_bounce_hours");

            migrationBuilder.DropColumn(
                name: "last_at",
                table: "ip_bounce_hours");
        }
    }
}
