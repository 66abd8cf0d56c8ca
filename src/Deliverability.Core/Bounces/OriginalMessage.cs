using MimeKit;

namespace Deliverability.Core.Bounces;

/// <summary>One header field of the returned original: which one, and its raw value (not RFC 2047 decoded), trimmed.</summary>
internal readonly record struct OriginalField(HeaderId Id, string Value);

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

    /// <summary>The header fields of the original that are read, in order.</summary>
    internal static readonly HeaderId[] ReadFields =
        [HeaderId.From, HeaderId.ReturnPath, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.MessageId, HeaderId.DkimSignature, HeaderId.To, HeaderId.Cc, HeaderId.Received];

    /// <summary>The fields of <see cref="ReadFields"/> in a MimeKit header list, raw values trimmed, in order (only the first Received).</summary>
    public static List<OriginalField> FieldsOf(HeaderList headers)
    {
        var fields = new List<OriginalField>();
        var received = false;
        foreach (var header in headers)
        {
            // Only the first Received is read.
            if (Array.IndexOf(ReadFields, header.Id) >= 0 && !(header.Id == HeaderId.Received && received))
            {
                received |= header.Id == HeaderId.Received;
                fields.Add(new OriginalField(header.Id, Raw(header)));
            }
        }

        return fields;
    }

    /// <summary>The original from its header fields (those of <see cref="ReadFields"/>, raw values trimmed, in order).</summary>
    public static OriginalMessage FromFields(IReadOnlyList<OriginalField> fields)
    {
        var sender = FirstMailbox(fields, HeaderId.From) ?? FirstMailbox(fields, HeaderId.ReturnPath) ?? FirstMailbox(fields, HeaderId.Sender);
        var messageId = First(fields, HeaderId.MessageId);
        if (messageId is not null)
        {
            messageId = messageId.Trim().Trim('<', '>').Trim();
        }

        var dkim = new List<DkimSignatureRef>();
        var to = new List<string>();
        string? topReceived = null;
        foreach (var field in fields)
        {
            if (field.Id == HeaderId.DkimSignature)
            {
                var (d, s) = DomainAndSelector(field.Value);
                if (d is { Length: > 0 } && s is not null)
                {
                    dkim.Add(new DkimSignatureRef(d.ToLowerInvariant(), s));
                }
            }
            else if (field.Id == HeaderId.To)
            {
                to.AddRange(TextAddresses.Find(field.Value));
            }
            else if (field.Id == HeaderId.Received)
            {
                topReceived ??= field.Value;
            }
        }

        foreach (var field in fields)
        {
            if (field.Id == HeaderId.Cc)
            {
                to.AddRange(TextAddresses.Find(field.Value));
            }
        }

        var senders = new List<string>();
        foreach (var id in SenderFields)
        {
            if (First(fields, id) is { } value)
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

    private static readonly HeaderId[] SenderFields = [HeaderId.From, HeaderId.ReturnPath, HeaderId.Sender, HeaderId.ReplyTo];

    private static string? First(IReadOnlyList<OriginalField> fields, HeaderId id)
    {
        foreach (var field in fields)
        {
            if (field.Id == id)
            {
                return field.Value;
            }
        }

        return null;
    }

    private static string? FirstMailbox(IReadOnlyList<OriginalField> fields, HeaderId id)
    {
        var value = First(fields, id);
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
