using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Deliverability.Core.Mailboxes;

/// <summary>Where and how to log in: the fields of a stored mailbox, or of a form being tested before it is saved.</summary>
public sealed record MailboxEndpoint(string Host, int Port, MailboxTls Tls, string UserName, MailboxSecretKind SecretKind);

/// <summary>
/// Opens an authenticated IMAP connection (MailKit) and turns every way that can fail into one sentence for the mailbox's
/// row. The secret goes to the server only; no protocol log is kept, so it is never written anywhere.
/// </summary>
public static class MailboxConnector
{
    /// <summary>How long one IMAP command may take before the poll gives up on the server.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ImapClient> ConnectAsync(MailboxEndpoint endpoint, string secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var client = new ImapClient { Timeout = (int)CommandTimeout.TotalMilliseconds };
        try
        {
            var socket = endpoint.Tls switch
            {
                MailboxTls.Ssl => SecureSocketOptions.SslOnConnect,
                MailboxTls.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(endpoint.Host, endpoint.Port, socket, ct);
            if (endpoint.SecretKind == MailboxSecretKind.OAuth2Token)
            {
                await client.AuthenticateAsync(new SaslMechanismOAuth2(endpoint.UserName, secret), ct);
            }
            else
            {
                await client.AuthenticateAsync(endpoint.UserName, secret, ct);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>True for the failures <see cref="Describe"/> words: the server, the network or the settings, not a bug of ours.</summary>
    public static bool IsMailboxFailure(Exception e) => e is SocketException or AuthenticationException or SslHandshakeException
        or ImapProtocolException or ImapCommandException or FolderNotFoundException or IOException or TimeoutException
        or ServiceNotConnectedException or ServiceNotAuthenticatedException or ProtocolException or CommandException
        or MailboxActionException;

    /// <summary>What went wrong, for the mailbox's row. Never contains the secret (MailKit's messages do not carry it).</summary>
    public static string Describe(MailboxEndpoint endpoint, Exception e)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var server = $"{endpoint.Host}:{endpoint.Port}";
        var text = e switch
        {
            AuthenticationException => $"{server} refused the login of {endpoint.UserName}: {e.Message} Check the user name and " +
                                       (endpoint.SecretKind == MailboxSecretKind.OAuth2Token ? "the token (it may have expired)." : "the password."),
            SslHandshakeException => $"The TLS handshake with {server} failed (certificate not trusted, or the server does not speak TLS on this port): {First(e.Message)}",
            SocketException s => $"Could not connect to {server}: {s.Message}",
            FolderNotFoundException f => $"The folder '{f.FolderName}' does not exist on {endpoint.Host}.",
            MailboxActionException a => a.Message,
            TimeoutException => $"{server} did not answer within {CommandTimeout.TotalSeconds:0} seconds.",
            ImapCommandException c => $"{server} refused a command: {c.Response} {c.ResponseText}",
            ImapProtocolException or ProtocolException => $"{server} answered something that is not IMAP: {First(e.Message)}",
            IOException => $"The connection to {server} broke: {First(e.Message)}",
            _ => $"{server}: {First(e.Message)}",
        };
        return text.Length <= 1000 ? text : text[..1000];
    }

    private static string First(string message) => message.Split('\n', 2)[0].Trim();
}

/// <summary>A step of the poll that the mailbox's settings made impossible (the move target is missing), in words for the row.</summary>
public sealed class MailboxActionException(string message) : Exception(message);
