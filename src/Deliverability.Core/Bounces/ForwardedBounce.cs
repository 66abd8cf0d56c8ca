using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>
/// A bounce that a person forwarded as an attachment ("Fwd: Undelivered Mail Returned to Sender" with the bounce as its
/// message/rfc822 part): the forwarding message is no report, the attached one is. Read as it stands, its only address
/// would be the attached bounce's To, which is our own sender.
/// </summary>
internal static class ForwardedBounce
{
    /// <summary>The message is not from a mail system and carries no report, but the message it encloses is from one.</summary>
    public static bool Applies(BounceContext context) =>
        context.Parts.DeliveryStatus is null && !context.LooksLikeBounceSender() && context.Original.Sender is { } sender &&
        IsMailSystem(sender);

    /// <summary>The enclosed message's bytes, read again from the whole message (the returned part may have been cut off).</summary>
    public static byte[]? Enclosed(ReadOnlyMemory<byte> raw, ParserOptions options)
    {
        using var stream = new MemoryStream(raw.ToArray(), writable: false);
        using var message = MimeMessage.Load(options, stream);
        foreach (var part in message.BodyParts)
        {
            if (part is MessagePart { Message: { } enclosed } && enclosed.From.Mailboxes.FirstOrDefault() is { } from && IsMailSystem(from.Address))
            {
                using var output = new MemoryStream();
                enclosed.WriteTo(output);
                return output.ToArray();
            }
        }

        return null;
    }

    private static bool IsMailSystem(string address)
    {
        var local = address.AsSpan(0, Math.Max(0, address.IndexOf('@', StringComparison.Ordinal)));
        return local.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || local.Equals("postmaster", StringComparison.OrdinalIgnoreCase) ||
            local.Equals("mail-daemon", StringComparison.OrdinalIgnoreCase);
    }
}
