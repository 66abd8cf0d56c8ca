using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class MailboxSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mailbox_sources",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    port = table.Column<int>(type: "integer", nullable: false),
                    tls = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    user_name = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    secret_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    protected_secret = table.Column<string>(type: "text", nullable: false),
                    folder = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    after_import = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    after_import_target = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    poll_interval_minutes = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_success_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    last_error_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    uid_validity = table.Column<long>(type: "bigint", nullable: true),
                    last_uid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailbox_sources", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mailbox_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    uid_validity = table.Column<long>(type: "bigint", nullable: false),
                    uid = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: true),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailbox_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_mailbox_messages_mailbox_sources_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailbox_sources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_mailbox_messages_mailbox_id_sha256",
                table: "mailbox_messages",
                columns: new[] { "mailbox_id", "sha256" });

            migrationBuilder.CreateIndex(
                name: "ix_mailbox_messages_mailbox_id_uid_validity_uid",
                table: "mailbox_messages",
                columns: new[] { "mailbox_id", "uid_validity", "uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mailbox_sources_name",
                table: "mailbox_sources",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mailbox_messages");

            migrationBuilder.DropTable(
                name: "mailbox_sources");
        }
    }
}
