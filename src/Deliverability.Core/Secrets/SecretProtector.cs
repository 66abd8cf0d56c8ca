using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Deliverability.Core.Secrets;

/// <summary>The purposes secrets are encrypted for; a value protected for one purpose cannot be read as another.</summary>
public static class SecretPurposes
{
    public const string SpamhausDqsKey = "Deliverability.Secrets.SpamhausDqsKey.v1";

    /// <summary>An IMAP mailbox source's password or OAuth2 token.</summary>
    public const string MailboxSecret = "Deliverability.Secrets.MailboxSecret.v1";
}

/// <summary>
/// Encrypts secrets that must be stored in the database (the Spamhaus DQS key; mailbox and SMTP passwords later) with
/// ASP.NET Core Data Protection: the key ring lives outside the database (DataProtection:KeysDirectory), so a copy of the
/// database alone does not reveal them.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    public string Protect(string purpose, string secret) => provider.CreateProtector(purpose).Protect(secret);

    /// <summary>The secret, or null when it cannot be decrypted (another key ring, a damaged value).</summary>
    public string? TryUnprotect(string purpose, string protectedSecret)
    {
        try
        {
            return provider.CreateProtector(purpose).Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
