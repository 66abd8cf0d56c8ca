using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceRetentionKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "check_result_retention_months",
                table: "storage_settings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "log_line_retention_months",
                table: "storage_settings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "log_lines_removed_before",
                table: "storage_settings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_storage_settings_check_result_retention",
                table: "storage_settings",
                sql: "check_result_retention_months IS NULL OR check_result_retention_months >= 4");

            migrationBuilder.AddCheckConstraint(
                name: "ck_storage_settings_log_line_retention",
                table: "storage_settings",
                sql: "log_line_retention_months IS NULL OR log_line_retention_months >= 4");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_logins_at",
                table: "mta_log_logins",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_storage_settings_check_result_retention",
                table: "storage_settings");

            migrationBuilder.DropCheckConstraint(
                name: "ck_storage_settings_log_line_retention",
                table: "storage_settings");

            migrationBuilder.DropIndex(
                name: "ix_mta_log_logins_at",
                table: "mta_log_logins");

            migrationBuilder.DropColumn(
                name: "check_result_retention_months",
                table: "storage_settings");

            migrationBuilder.DropColumn(
                name: "log_line_retention_months",
                table: "storage_settings");

            migrationBuilder.DropColumn(
                name: "log_lines_removed_before",
                table: "storage_settings");
        }
    }
}
