using System.Buffers;
using System.CommandLine;
using System.Text.Json;
using Deliverability.Core.Bounces;

namespace Deliverability.Parse;

/// <summary><c>deliverability parse [--json] PATH...</c>: parses bounce files, directories and mboxes. Output contract: docs/parser.md.</summary>
public static class ParseCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line per recipient (see docs/parser.md)." };
        var paths = new Argument<string[]>("PATH") { Description = "Message files, directories (read recursively) or mbox files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("parse", "Parse bounces, complaint reports and auto-replies and print what they say per recipient.") { json, paths };
        command.SetAction(async (parseResult, ct) =>
        {
            var asJson = parseResult.GetValue(json);
            var parser = new BounceParser();
            using var stdout = Console.OpenStandardOutput();
            using var output = new BufferedStream(stdout, 1 << 16);
            // Every core parses; the output keeps the input order (files in ordinal order, mbox messages in file order).
            await OrderedPipeline.RunAsync(
                MessageSource.Enumerate(parseResult.GetRequiredValue(paths)),
                input => Render(parser, input, asJson),
                bytes => output.Write(bytes),
                Environment.ProcessorCount,
                ct);
            await output.FlushAsync(ct);
            return 0;
        });
        return command;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? jsonBuffer;

    [ThreadStatic]
    private static MemoryStream? textBuffer;

    private static byte[] Render(BounceParser parser, MessageInput input, bool asJson)
    {
        var parsed = input.Error is not null
            ? ParsedMessage.Failed(MessageKind.Unreadable, input.Error)
            : parser.Parse(input.Raw);
        input.ReturnBuffer();
        if (asJson)
        {
            // Per-thread buffer and JSON writer, reused: a new writer per line grew its own buffer from 256 bytes each time.
            var json = jsonBuffer ??= new ArrayBufferWriter<byte>(4096);
            json.ResetWrittenCount();
            ParseOutput.WriteJson(json, input, parsed);
            return json.WrittenSpan.ToArray();
        }

        var text = textBuffer ??= new MemoryStream(4096);
        text.SetLength(0);
        ParseOutput.WriteText(text, input, parsed);
        return text.ToArray();
    }
}

/// <summary>One message read from a path: a file, a file found under a directory, or one message of an mbox.</summary>
internal sealed record MessageInput(string Source, int MessageIndex, ReadOnlyMemory<byte> Raw, string? Error = null, long Bytes = 0, byte[]? RentedBuffer = null)
{
    /// <summary>Gives a file's buffer back to the pool once the message is parsed; <see cref="Raw"/> must not be read after.</summary>
    public void ReturnBuffer()
    {
        if (RentedBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(RentedBuffer);
        }
    }
}

/// <summary>Expands PATH arguments into messages, streaming mbox files one message at a time.</summary>
internal static class MessageSource
{
    public static IEnumerable<MessageInput> Enumerate(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                IEnumerable<string> files;
                try
                {
                    files = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                        .Order(StringComparer.Ordinal).ToList();
                }
                catch (IOException e)
                {
                    files = [];
                    Console.Error.WriteLine($"{path}: {e.Message}");
                }

                foreach (var file in files)
                {
                    foreach (var message in ReadFile(file))
                    {
                        yield return message;
                    }
                }
            }
            else
            {
                foreach (var message in ReadFile(path))
                {
                    yield return message;
                }
            }
        }
    }

    private static IEnumerable<MessageInput> ReadFile(string path)
    {
        FileStream? stream = null;
        string? error = null;
        try
        {
            // Unbuffered: single messages are read in one call, mbox files through MboxReader's own buffer.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = "unreadable file: " + e.Message;
        }

        if (stream is null)
        {
            yield return new MessageInput(path, 0, ReadOnlyMemory<byte>.Empty, error);
            yield break;
        }

        using (stream)
        {
            Span<byte> head = stackalloc byte[5];
            var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            if (MboxReader.LooksLikeMbox(head[..headLength]))
            {
                foreach (var message in MboxReader.Read(stream))
                {
                    yield return new MessageInput(path, message.Index, message.Raw, null, message.Raw.Length);
                }

                yield break;
            }

            var length = (int)Math.Min(stream.Length, BounceParser.MaxMessageBytes);
            // Pooled: one buffer per file would be a tenth of what a message allocates; the parse step gives it back.
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            var read = stream.ReadAtLeast(buffer.AsSpan(0, length), length, throwOnEndOfStream: false);
            yield return new MessageInput(path, 0, buffer.AsMemory(0, read), null, stream.Length, buffer);
        }
    }
}

/// <summary>Writes parse results as JSON lines (the contract in docs/parser.md) or as readable lines.</summary>
internal static class ParseOutput
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    public static void WriteJson(IBufferWriter<byte> output, MessageInput input, ParsedMessage parsed)
    {
        var writer = cachedWriter ??= new Utf8JsonWriter(output, JsonOptions);
        if (parsed.Recipients.Count == 0)
        {
            writer.Reset(output);
            writer.WriteStartObject();
            writer.WriteString("source", input.Source);
            writer.WriteNumber("message_index", input.MessageIndex);
            writer.WriteString("kind", KindName(parsed.Kind));
            writer.WriteString("error", parsed.Error ?? "not a bounce: nothing found");
            writer.WriteEndObject();
            writer.Flush();
            output.Write("\n"u8);
            return;
        }

        foreach (var r in parsed.Recipients)
        {
            writer.Reset(output);
            writer.WriteStartObject();
            writer.WriteString("source", input.Source);
            writer.WriteNumber("message_index", input.MessageIndex);
            writer.WriteString("recipient", r.Recipient);
            writer.WriteString("original_recipient", r.OriginalRecipient);
            writer.WriteString("action", r.Action);
            writer.WriteString("status", r.Status);
            if (r.ReplyCode is { } code)
            {
                writer.WriteNumber("reply_code", code);
            }
            else
            {
                writer.WriteNull("reply_code");
            }

            writer.WriteString("diagnostic", r.Diagnostic);
            writer.WriteString("remote_mta", r.RemoteMta);
            writer.WriteString("reporting_mta", r.ReportingMta);
            writer.WriteString("reason", r.Reason);
            writer.WriteBoolean("hard_bounce", r.HardBounce);
            writer.WriteString("kind", KindName(r.Kind));
            writer.WriteString("provider", r.Provider);
            writer.WriteString("provider_code", r.ProviderCode);
            writer.WriteString("sending_ip", r.SendingIp?.ToString());
            writer.WriteString("sending_ip_source", r.SendingIpSource);
            writer.WriteString("sender", r.Sender);
            writer.WriteString("sender_domain", r.SenderDomain);
            writer.WriteString("original_message_id", r.OriginalMessageId);
            writer.WriteStartArray("dkim");
            foreach (var dkim in r.Dkim)
            {
                writer.WriteStartObject();
                writer.WriteString("d", dkim.Domain);
                writer.WriteString("s", dkim.Selector);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("arrival_date", r.ArrivalDate?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("feedback_type", r.FeedbackType);
            writer.WriteEndObject();
            writer.Flush();
            output.Write("\n"u8);
        }
    }

    public static void WriteText(Stream output, MessageInput input, ParsedMessage parsed)
    {
        var where = input.MessageIndex > 0 || input.Bytes > 0 && input.MessageIndex > 0 ? $"{input.Source}#{input.MessageIndex}" : input.Source;
        using var writer = new StreamWriter(output, leaveOpen: true);
        if (parsed.Recipients.Count == 0)
        {
            writer.WriteLine($"{where}: {parsed.Error}");
            return;
        }

        foreach (var r in parsed.Recipients)
        {
            var provider = r.Provider is null ? string.Empty : $" provider={r.Provider}{(r.ProviderCode is null ? string.Empty : "/" + r.ProviderCode)}";
            var ip = r.SendingIp is null ? string.Empty : $" ip={r.SendingIp}";
            writer.WriteLine($"{where}: {r.Recipient} {KindName(r.Kind)} {r.Reason} status={r.Status ?? "-"} reply={r.ReplyCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}{provider}{ip}");
            if (r.Diagnostic is not null)
            {
                writer.WriteLine("    " + (r.Diagnostic.Length > 200 ? r.Diagnostic[..200] + "..." : r.Diagnostic));
            }
        }
    }

    public static string KindName(BounceKind kind) => kind switch
    {
        BounceKind.Bounce => "bounce",
        BounceKind.Delay => "delay",
        BounceKind.Feedback => "feedback",
        BounceKind.AutoReply => "auto-reply",
        BounceKind.Delivered => "delivered",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string KindName(MessageKind kind) => kind switch
    {
        MessageKind.AutoReply => "auto-reply",
        MessageKind.NotABounce => "not-a-bounce",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
