using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Deliverability.Core.Secrets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Deliverability.Core.Alerts;

/// <summary>A channel refused or could not take an alert; the message names what went wrong and never a secret.</summary>
public sealed class AlertDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The purposes alert secrets are encrypted for.</summary>
public static class AlertSecretPurposes
{
    public const string SmtpPassword = "Deliverability.Secrets.AlertSmtpPassword.v1";
    public const string WebhookUrl = "Deliverability.Secrets.AlertWebhookUrl.v1";
    public const string SigningSecret = "Deliverability.Secrets.AlertSigningSecret.v1";
}

/// <summary>Sends an alert by mail through the channel's SMTP server (MailKit).</summary>
public sealed class EmailAlertSender(SecretProtector secrets, TimeProvider clock)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task SendAsync(AlertChannel channel, Alert alert, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(alert);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(channel.MailFrom!));
        foreach (var to in AlertChannels.SplitAddresses(channel.MailTo))
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = $"[Deliverability] {alert.Title}";
        message.Date = clock.GetUtcNow();
        message.Headers.Add("X-Deliverability-Alert", alert.Id.ToString(CultureInfo.InvariantCulture));
        var body = alert.Link is null ? alert.Text : $"{alert.Text}\n\n{alert.Link}";
        message.Body = new TextPart("plain") { Text = body };

        using var smtp = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            var tls = channel.SmtpTls switch
            {
                SmtpTls.Ssl => SecureSocketOptions.SslOnConnect,
                SmtpTls.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await smtp.ConnectAsync(channel.SmtpHost ?? "", channel.SmtpPort ?? 25, tls, ct);
            if (!string.IsNullOrEmpty(channel.SmtpUser))
            {
                var password = channel.SmtpPasswordProtected is { } p ? secrets.TryUnprotect(AlertSecretPurposes.SmtpPassword, p) : "";
                if (password is null)
                {
                    throw new AlertDeliveryException("The stored SMTP password cannot be decrypted with this installation's keys: enter it again.");
                }

                await smtp.AuthenticateAsync(channel.SmtpUser, password, ct);
            }

            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException or SslHandshakeException
            or SocketException or IOException or ServiceNotConnectedException or ServiceNotAuthenticatedException or NotSupportedException
            or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"SMTP {channel.SmtpHost}:{channel.SmtpPort}: {e.Message}", e);
        }
    }
}

/// <summary>
/// Posts an alert to a webhook: our JSON signed with HMAC-SHA256 (header <c>X-Deliverability-Signature: sha256=&lt;hex&gt;</c> of
/// the body with the channel's secret, and <c>X-Deliverability-Timestamp</c>, Unix seconds), or Slack's or Teams' format.
/// </summary>
public sealed class WebhookAlertSender(HttpClient http, SecretProtector secrets, TimeProvider clock)
{
    public const string SignatureHeader = "X-Deliverability-Signature";
    public const string TimestampHeader = "X-Deliverability-Timestamp";

    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public async Task SendAsync(AlertChannel channel, Alert alert, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(alert);
        var url = channel.UrlProtected is { } u ? secrets.TryUnprotect(AlertSecretPurposes.WebhookUrl, u) : null;
        if (url is null)
        {
            throw new AlertDeliveryException("The stored webhook URL cannot be decrypted with this installation's keys: enter it again.");
        }

        var body = channel.Type switch
        {
            AlertChannelType.Slack => AlertPayloads.Slack(alert),
            AlertChannelType.Teams => AlertPayloads.Teams(alert),
            _ => AlertPayloads.Webhook(alert),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (channel.Type == AlertChannelType.Webhook)
        {
            var secret = channel.SigningSecretProtected is { } s ? secrets.TryUnprotect(AlertSecretPurposes.SigningSecret, s) : null;
            if (secret is null)
            {
                throw new AlertDeliveryException("The stored signing secret cannot be decrypted with this installation's keys: enter it again.");
            }

            request.Headers.Add(SignatureHeader, Sign(secret, body));
            request.Headers.Add(TimestampHeader, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // The URL carries the receiver's token (Slack, Teams): only its host is named.
            throw new AlertDeliveryException($"{channel.UrlHost}: {(e is OperationCanceledException ? "no answer in time" : e.Message)}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadAsStringAsync(ct);
                answer = answer.Length > 200 ? answer[..200] + "…" : answer;
                throw new AlertDeliveryException($"{channel.UrlHost} answered {(int)response.StatusCode} {response.ReasonPhrase}" +
                    (string.IsNullOrWhiteSpace(answer) ? "." : $": {answer}"));
            }
        }
    }
}
