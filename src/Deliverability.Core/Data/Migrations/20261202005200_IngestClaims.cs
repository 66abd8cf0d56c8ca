using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class IngestClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "claimed_by",
                table: "ingest_batches",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "claimed_until",
                table: "ingest_batches",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "claimed_by",
                table: "ingest_batches");

            migrationBuilder.DropColumn(
                name: "claimed_until",
                table: "ingest_batches");
        }
    }
}
