using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <summary>
    /// The foreign keys of dmarc_records, dmarc_dkim_results and dmarc_spf_results are checked row by row, which costs more than
    /// storing a large report itself: they go, and a statement trigger deletes a deleted report's records and results instead of the
    /// cascades (ReportStore writes them only in the transaction that inserts their report).
    /// </summary>
    public partial class DmarcBulkTablesWithoutRowChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_dmarc_dkim_results_dmarc_records_dmarc_report_id_record_ord",
                table: "dmarc_dkim_results");

            migrationBuilder.DropForeignKey(
                name: "fk_dmarc_records_dmarc_reports_dmarc_report_id",
                table: "dmarc_records");

            migrationBuilder.DropForeignKey(
                name: "fk_dmarc_spf_results_dmarc_records_dmarc_report_id_record_ordi",
                table: "dmarc_spf_results");

            migrationBuilder.Sql("""
                CREATE FUNCTION dmarc_reports_delete_records() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM dmarc_dkim_results d USING deleted_reports o WHERE d.dmarc_report_id = o.id;
                    DELETE FROM dmarc_spf_results s USING deleted_reports o WHERE s.dmarc_report_id = o.id;
                    DELETE FROM dmarc_records r USING deleted_reports o WHERE r.dmarc_report_id = o.id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER dmarc_reports_delete_records AFTER DELETE ON dmarc_reports
                    REFERENCING OLD TABLE AS deleted_reports FOR EACH STATEMENT EXECUTE FUNCTION dmarc_reports_delete_records();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER dmarc_reports_delete_records ON dmarc_reports;
                DROP FUNCTION dmarc_reports_delete_records();
                """);

            migrationBuilder.AddForeignKey(
                name: "fk_dmarc_dkim_results_dmarc_records_dmarc_report_id_record_ord",
                table: "dmarc_dkim_results",
                columns: new[] { "dmarc_report_id", "record_ordinal" },
                principalTable: "dmarc_records",
                principalColumns: new[] { "dmarc_report_id", "ordinal" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_dmarc_records_dmarc_reports_dmarc_report_id",
                table: "dmarc_records",
                column: "dmarc_report_id",
                principalTable: "dmarc_reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_dmarc_spf_results_dmarc_records_dmarc_report_id_record_ordi",
                table: "dmarc_spf_results",
                columns: new[] { "dmarc_report_id", "record_ordinal" },
                principalTable: "dmarc_records",
                principalColumns: new[] { "dmarc_report_id", "ordinal" },
                onDelete: ReferentialAction.Cascade);
        }
    }
}
