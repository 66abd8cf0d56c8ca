using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SndsIpStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "snds_ip_status",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    first_ip = table.Column<IPAddress>(type: "inet", nullable: false),
                    last_ip = table.Column<IPAddress>(type: "inet", nullable: false),
                    blocked = table.Column<bool>(type: "boolean", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_snds_ip_status", x => x.id);
                    table.ForeignKey(
                        name: "fk_snds_ip_status_ingest_files_file_id",
                        column: x => x.file_id,
                        principalTable: "ingest_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_snds_ip_status_file_id",
                table: "snds_ip_status",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_snds_ip_status_reported_at",
                table: "snds_ip_status",
                column: "reported_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "snds_ip_status");
        }
    }
}
