using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BounceExplorerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_mta_log_deliveries_at",
                table: "mta_log_deliveries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_deliveries_provider_code_at",
                table: "mta_log_deliveries",
                columns: new[] { "provider_code", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_mta_log_deliveries_reason_at",
                table: "mta_log_deliveries",
                columns: new[] { "reason", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_bounces_occurred_at",
                table: "bounces",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_bounces_reason_occurred_at",
                table: "bounces",
                columns: new[] { "reason", "occurred_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_mta_log_deliveries_at",
                table: "mta_log_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_mta_log_deliveries_provider_code_at",
                table: "mta_log_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_mta_log_deliveries_reason_at",
                table: "mta_log_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_bounces_occurred_at",
                table: "bounces");

            migrationBuilder.DropIndex(
                name: "ix_bounces_reason_occurred_at",
                table: "bounces");
        }
    }
}
