using System.Runtime.InteropServices;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Turns one raw message (a DSN, a non-standard bounce, a complaint report or an auto-reply) into per-recipient results.
/// Thread-safe and reusable; does no I/O besides reading the given stream; never throws for bad input.
/// </summary>
public sealed class BounceParser
{
    /// <summary>Only this much of a message is parsed: the part of a bounce that matters is at its start.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    private const int MaxParts = 200;
    private const int MaxDepth = 8;

    [ThreadStatic]
    private static MimeParser? cachedMimeParser;

    private readonly ParserOptions options;

    static BounceParser() => TextDecoding.EnsureRegistered();

    public BounceParser()
    {
        options = SharedOptions;
    }

    private static readonly ParserOptions SharedOptions = CreateOptions();

    private static ParserOptions CreateOptions()
    {
        var created = ParserOptions.Default.Clone();
        created.MaxMimeDepth = 16;
        return created;
    }

    public ParsedMessage Parse(Stream rawMessage)
    {
        ArgumentNullException.ThrowIfNull(rawMessage);
        byte[] buffer;
        int length;
        try
        {
            // Size the buffer from the stream when it knows its length; otherwise grow it up to the cap.
            var initial = rawMessage.CanSeek ? (int)Math.Clamp(rawMessage.Length - rawMessage.Position, 0, MaxMessageBytes) : 64 * 1024;
            buffer = new byte[Math.Max(initial, 1)];
            length = 0;
            while (length < MaxMessageBytes)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxMessageBytes));
                }

                var read = rawMessage.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (IOException e)
        {
            return ParsedMessage.Failed(MessageKind.Unreadable, "unreadable input: " + e.Message);
        }

        return Parse(buffer.AsMemory(0, length));
    }

    public ParsedMessage Parse(ReadOnlyMemory<byte> rawMessage)
    {
        if (rawMessage.Length > MaxMessageBytes)
        {
            rawMessage = rawMessage[..MaxMessageBytes];
        }

        if (rawMessage.IsEmpty)
        {
            return ParsedMessage.Failed(MessageKind.Empty, "empty file");
        }

        if (rawMessage.Span.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return ParsedMessage.Failed(MessageKind.Empty, "empty file: only blank lines");
        }

        try
        {
            return ParseCore(rawMessage, forceHeaderless: false);
        }
        catch (Exception e) when (IsMimeFailure(e))
        {
            try
            {
                // Headers MimeKit cannot read: read what follows as text, the way a person would.
                return ParseCore(rawMessage, forceHeaderless: true);
            }
            catch (Exception again) when (IsMimeFailure(again))
            {
                return ParsedMessage.Failed(MessageKind.Unreadable, "unreadable MIME: " + e.Message);
            }
        }
    }

    private static bool IsMimeFailure(Exception e) =>
        e is FormatException or ParseException or InvalidOperationException or ArgumentException or NotSupportedException or IndexOutOfRangeException or DecoderFallbackException or OverflowException;

    private ParsedMessage ParseCore(ReadOnlyMemory<byte> raw, bool forceHeaderless, bool enclosed = false)
    {
        var framing = MessageFraming.Repair(ref raw, forceHeaderless);
        if (framing == MessageFraming.Outcome.EmptyAfterFromLine)
        {
            return ParsedMessage.Failed(MessageKind.Empty, "empty message: nothing after its mbox \"From \" line");
        }

        if (raw.IsEmpty)
        {
            return ParsedMessage.Failed(MessageKind.Empty, "empty file: only blank lines");
        }

        var whole = raw;
        raw = ReturnedMessageCut.Apply(raw, out var originalFields);
        var stream = MemoryMarshal.TryGetArray(raw, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(raw.ToArray(), writable: false);
        using (stream)
        {
            // One MimeParser per thread, reused: it keeps its buffers between messages, which halves MimeKit's allocations.
            var parser = cachedMimeParser ??= new MimeParser(options, Stream.Null, MimeFormat.Entity, persistent: true);
            parser.SetStream(stream, MimeFormat.Entity, persistent: true);
            // Disposed when done: MimeKit's entities have finalizers, and an undisposed one outlives the next collection
            // (with everything it references) until the finalizer thread has run it.
            using var message = parser.ParseMessage();
            if (framing != MessageFraming.Outcome.Headerless && (message.Headers.Count == 0 || !LooksLikeMail(message.Headers)))
            {
                return ParsedMessage.Failed(MessageKind.NotABounce, "not a bounce: no mail headers found");
            }

            var parts = MessageParts.Collect(message, MaxParts, MaxDepth, originalFields);
            var context = new BounceContext(message, parts);
            if (!enclosed && ForwardedBounce.Applies(context) && ForwardedBounce.Enclosed(whole, options) is { } inner)
            {
                var forwarded = ParseCore(inner, forceHeaderless: false, enclosed: true);
                if (forwarded.Recipients.Count > 0)
                {
                    return forwarded;
                }
            }

            return Interpret(context) with
            {
                Date = message.Date == DateTimeOffset.MinValue ? null : message.Date,
                Subject = message.Subject,
            };
        }
    }

    private static ParsedMessage Interpret(BounceContext context)
    {
        if (context.Parts.FeedbackReport is not null || context.IsReportType("feedback-report"))
        {
            var feedback = FeedbackReportReader.Read(context);
            if (feedback.Count > 0)
            {
                return new ParsedMessage(MessageKind.Feedback, feedback, null);
            }
        }

        if (context.Parts.DeliveryStatus is null && SesNotificationReader.Read(context) is { Recipients.Count: > 0 } ses)
        {
            return ses;
        }

        if (context.Parts.DeliveryStatus is null && context.IsLegacyComplaint())
        {
            var complaint = FeedbackReportReader.Read(context);
            if (complaint.Count > 0)
            {
                return new ParsedMessage(MessageKind.Feedback, complaint, null);
            }
        }

        if (context.Parts.DeliveryStatus is null && context.IsChallengeResponse())
        {
            return ParsedMessage.Failed(MessageKind.NotABounce, "not a bounce: a challenge-response (sender verification) request");
        }

        var bounce = DeliveryStatusReader.Read(context);
        if (bounce.Count == 0 && context.IsAutoReply())
        {
            var replies = AutoReplyReader.Read(context);
            return replies.Count > 0
                ? new ParsedMessage(MessageKind.AutoReply, replies, null)
                : ParsedMessage.Failed(MessageKind.AutoReply, "not a bounce: an auto-reply without a usable From address");
        }

        if (bounce.Count == 0 && context.IsPersonsReply())
        {
            return ParsedMessage.Failed(MessageKind.NotABounce, "not a bounce: a person's reply, with no delivery report or SMTP reply in it");
        }

        if (bounce.Count == 0)
        {
            bounce = TextBounceReader.Read(context);
        }

        if (bounce.Count == 0)
        {
            return ParsedMessage.Failed(MessageKind.NotABounce, context.LooksLikeBounce()
                ? "not a bounce: it looks like a delivery report but names no recipient"
                : "not a bounce: no delivery status, complaint report or auto-reply found");
        }

        return new ParsedMessage(MessageKind.Bounce, bounce, null);
    }

    private static bool LooksLikeMail(HeaderList headers)
    {
        foreach (var header in headers)
        {
            if (header.Id is HeaderId.From or HeaderId.Subject or HeaderId.Date or HeaderId.To or HeaderId.ContentType
                or HeaderId.Received or HeaderId.ReturnPath or HeaderId.MessageId or HeaderId.MimeVersion)
            {
                return true;
            }
        }

        return false;
    }

    internal static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateUtils.TryParse(value, out var date) ? date : null;
    }
}
