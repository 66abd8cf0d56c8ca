using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class UserAuditAndEncryptedDqsKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "spamhaus_dqs_key",
                table: "checks_settings",
                newName: "legacy_plain_spamhaus_dqs_key");

            migrationBuilder.AddColumn<string>(
                name: "protected_spamhaus_dqs_key",
                table: "checks_settings",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "user_audit",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_name = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    actor_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    target_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    target_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_audit", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_user_audit_at",
                table: "user_audit",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "user_audit");

            migrationBuilder.DropColumn(
                name: "protected_spamhaus_dqs_key",
                table: "checks_settings");

            migrationBuilder.RenameColumn(
                name: "legacy_plain_spamhaus_dqs_key",
                table: "checks_settings",
                newName: "spamhaus_dqs_key");
        }
    }
}
