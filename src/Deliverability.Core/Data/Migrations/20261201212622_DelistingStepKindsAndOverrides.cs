using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliverability.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DelistingStepKindsAndOverrides : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "delisting_steps",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "override_reason",
                table: "delisting_steps",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            // Steps stored before kinds existed: every key of the built-in processes maps to one kind.
            migrationBuilder.Sql("""
                UPDATE delisting_steps SET kind = CASE key
                    WHEN 'find-error' THEN 'FindError'
                    WHEN 'listing' THEN 'FindError'
                    WHEN 'fix-causes' THEN 'FixCauses'
                    WHEN 'sender-score' THEN 'SenderScore'
                    WHEN 'authentication' THEN 'Authentication'
                    WHEN 'snds-jmrp' THEN 'SndsRegistration'
                    WHEN 'prepare-request' THEN 'PrepareRequest'
                    WHEN 'sender-contact' THEN 'PrepareRequest'
                    WHEN 'submit' THEN 'Submission'
                    WHEN 'track-replies' THEN 'TrackReplies'
                    WHEN 'escalate' THEN 'Escalation'
                    WHEN 'confirm-delisting' THEN 'ConfirmDelisting'
                    WHEN 'outcome' THEN 'Outcome'
                    ELSE 'Manual' END
                WHERE kind = '';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "kind",
                table: "delisting_steps");

            migrationBuilder.DropColumn(
                name: "override_reason",
                table: "delisting_steps");
        }
    }
}
