using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>Reads auto-replies (RFC 3834: vacation and out-of-office notices). They are not failures.</summary>
internal static class AutoReplyReader
{
    public static List<RecipientResult> Read(BounceContext context)
    {
        // The recipient of our message is the one who replied: the From of the auto-reply.
        var from = context.Message.Headers[HeaderId.From];
        var recipient = from is null ? null : TextAddresses.Find(from).FirstOrDefault();
        if (recipient is null)
        {
            return [];
        }

        var text = string.Join(' ', context.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(5));
        var raw = new RawRecipient
        {
            Recipient = recipient,
            Diagnostic = text.Length > 500 ? text[..500] : text,
            Kind = BounceKind.AutoReply,
            Reason = BounceReasons.Vacation,
            ArrivalDate = context.Message.Date == DateTimeOffset.MinValue ? null : context.Message.Date,
        };
        return [ResultBuilder.Build(raw, context) with { Action = null, Status = null, ReplyCode = null, SendingIp = null, SendingIpSource = null, Provider = null, ProviderCode = null }];
    }
}
