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

    /// <summary>Every address of the original's sender side (From, Return-Path, Sender, Reply-To): never a failed recipient.</summary>
    public IReadOnlyList<string> SenderAddresses { get; init; } = [];

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
                var (d, s) = DomainAndSelector(Raw(header));
                if (d is { Length: > 0 } && s is not null)
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
                    foreach (var address in TextAddresses.Find(Raw(header)))
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

        var senders = new List<string>();
        foreach (var id in new[] { HeaderId.From, HeaderId.ReturnPath, HeaderId.Sender, HeaderId.ReplyTo })
        {
            if (Raw(headers, id) is { } value)
            {
                senders.AddRange(TextAddresses.Find(value));
            }
        }

        return new OriginalMessage(
            sender,
            string.IsNullOrEmpty(messageId) ? null : messageId,
            dkim,
            to,
            topReceived)
        { SenderAddresses = senders };
    }

    private static string? FirstMailbox(HeaderList headers, HeaderId id)
    {
        var value = Raw(headers, id);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var address in TextAddresses.Find(value))
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

    /// <summary>The d= and s= tags of a DKIM-Signature value (RFC 6376 tag=value list; whitespace is insignificant).</summary>
    private static (string? Domain, string? Selector) DomainAndSelector(string value)
    {
        string? domain = null;
        string? selector = null;
        var rest = value.AsSpan();
        while (!rest.IsEmpty && (domain is null || selector is null))
        {
            var semicolon = rest.IndexOf(';');
            var tag = semicolon < 0 ? rest : rest[..semicolon];
            rest = semicolon < 0 ? [] : rest[(semicolon + 1)..];
            var eq = tag.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var name = tag[..eq].Trim();
            if (name.Length != 1 || (name[0] is not ('d' or 's' or 'D' or 'S')))
            {
                continue;
            }

            var tagValue = string.Concat(tag[(eq + 1)..].ToString().Where(c => !char.IsWhiteSpace(c)));
            if (name[0] is 'd' or 'D')
            {
                domain ??= tagValue;
            }
            else
            {
                selector ??= tagValue;
            }
        }

        return (domain, selector);
    }
}
