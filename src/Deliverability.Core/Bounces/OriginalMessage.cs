using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>What the bounce tells about the message that was sent: who sent it, its Message-ID and DKIM signatures.</summary>
internal sealed record OriginalMessage(
    string? Sender,
    string? MessageId,
    IReadOnlyList<DkimSignatureRef> Dkim,
    IReadOnlyList<string> To,
    string? TopReceived)
{
    public static readonly OriginalMessage None = new(null, null, [], [], null);

    public static OriginalMessage FromHeaders(HeaderList headers)
    {
        var sender = FirstMailbox(headers, HeaderId.From) ?? FirstMailbox(headers, HeaderId.ReturnPath) ?? FirstMailbox(headers, HeaderId.Sender);
        var messageId = Raw(headers, HeaderId.MessageId);
        if (messageId is not null)
        {
            messageId = messageId.Trim().Trim('<', '>').Trim();
        }

        var dkim = new List<DkimSignatureRef>();
        foreach (var header in headers)
        {
            if (header.Id == HeaderId.DkimSignature)
            {
                var tags = ParseTags(Raw(header));
                if (tags.TryGetValue("d", out var d) && tags.TryGetValue("s", out var s) && d.Length > 0)
                {
                    dkim.Add(new DkimSignatureRef(d.ToLowerInvariant(), s));
                }
            }
        }

        var to = new List<string>();
        foreach (var id in new[] { HeaderId.To, HeaderId.Cc })
        {
            foreach (var header in headers)
            {
                if (header.Id == id)
                {
                    foreach (var address in SmtpCodes.FindAddresses(Raw(header)))
                    {
                        to.Add(address);
                    }
                }
            }
        }

        string? topReceived = null;
        foreach (var header in headers)
        {
            if (header.Id == HeaderId.Received)
            {
                topReceived = Raw(header);
                break;
            }
        }

        return new OriginalMessage(
            sender,
            string.IsNullOrEmpty(messageId) ? null : messageId,
            dkim,
            to,
            topReceived);
    }

    private static string? FirstMailbox(HeaderList headers, HeaderId id)
    {
        var value = Raw(headers, id);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var address in SmtpCodes.FindAddresses(value))
        {
            return address;
        }

        return null;
    }

    /// <summary>
    /// A header's bytes as text, without RFC 2047 decoding: addresses, Message-IDs and DKIM tags are never encoded,
    /// and skipping the decoder is much cheaper.
    /// </summary>
    public static string Raw(Header header) => System.Text.Encoding.Latin1.GetString(header.RawValue).Trim();

    public static string? Raw(HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        return index < 0 ? null : Raw(headers[index]);
    }

    private static Dictionary<string, string> ParseTags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var name = part[..eq].Trim();
            var tagValue = string.Concat(part[(eq + 1)..].Where(c => !char.IsWhiteSpace(c)));
            tags.TryAdd(name, tagValue);
        }

        return tags;
    }
}
