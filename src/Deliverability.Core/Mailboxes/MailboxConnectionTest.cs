using Deliverability.Core.Data;
using Deliverability.Core.Secrets;
using MailKit;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Mailboxes;

/// <summary>The answer of "Test connection": whether the login and the folder work, and what the folder holds.</summary>
public sealed record MailboxTestResult(bool Ok, string Message);

/// <summary>
/// Logs in and examines the folder (read-only: nothing is marked or moved), for the settings form before or after saving.
/// Writes nothing: a test is not a poll, so the mailbox's row keeps its last poll's status.
/// </summary>
public sealed class MailboxConnectionTest(IDbContextFactory<DeliverabilityDbContext> dbFactory, SecretProtector secrets)
{
    /// <summary>Tests the settings as typed; an empty secret on a stored mailbox (<paramref name="storedId"/>) uses the stored one.</summary>
    public async Task<MailboxTestResult> TestAsync(MailboxSettings settings, long? storedId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MailboxSettings valid;
        try
        {
            valid = settings.Validated(secretRequired: storedId is null);
        }
        catch (MailboxSettingsException e)
        {
            return new MailboxTestResult(false, e.Message);
        }

        var secret = valid.Secret;
        if (string.IsNullOrEmpty(secret) && storedId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var stored = await db.MailboxSources.Where(m => m.Id == id).Select(m => m.ProtectedSecret).SingleOrDefaultAsync(ct);
            secret = stored is null ? null : secrets.TryUnprotect(SecretPurposes.MailboxSecret, stored);
            if (secret is null) return new MailboxTestResult(false, "The stored password cannot be read: enter it again.");
        }

        var endpoint = new MailboxEndpoint(valid.Host, valid.Port, valid.Tls, valid.UserName, valid.SecretKind);
        try
        {
            using var client = await MailboxConnector.ConnectAsync(endpoint, secret!, ct);
            var folder = await client.GetFolderAsync(valid.Folder, ct);
            await folder.OpenAsync(FolderAccess.ReadOnly, ct);
            var message = $"Logged in to {valid.Host} as {valid.UserName}; {valid.Folder} holds {folder.Count} messages.";
            if (valid.AfterImport == MailboxAfterImport.Move)
            {
                try
                {
                    await client.GetFolderAsync(valid.AfterImportTarget!, ct);
                }
                catch (FolderNotFoundException)
                {
                    return new MailboxTestResult(false, $"{message} But the folder '{valid.AfterImportTarget}' to move bounces to does not exist.");
                }
            }

            await client.DisconnectAsync(true, ct);
            return new MailboxTestResult(true, message);
        }
        catch (Exception e) when (MailboxConnector.IsMailboxFailure(e))
        {
            return new MailboxTestResult(false, MailboxConnector.Describe(endpoint, e));
        }
    }
}
