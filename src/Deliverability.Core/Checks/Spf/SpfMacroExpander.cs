using System.Globalization;
using System.Net;
using System.Text;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks.Spf;

/// <summary>The values macros expand from (RFC 7208 section 7.2).</summary>
public sealed record SpfMacroContext(IPAddress Ip, string Sender, string Domain, string Helo, DateTimeOffset Now, string ReceivingHost = "unknown")
{
    /// <summary>Local part of the sender; "postmaster" when the sender has none (section 4.3).</summary>
    public string LocalPart => Sender.LastIndexOf('@') is var at and > 0 ? Sender[..at] : "postmaster";

    public string SenderDomain => Sender.LastIndexOf('@') is var at and >= 0 ? Sender[(at + 1)..] : Sender;
}

/// <summary>
/// Expands SPF macro-strings (RFC 7208 section 7): %{s l o d i p v h} (+ c r t in exp), digit and 'r' transformers,
/// delimiters ". - + , / _ =", upper-case letters URL-escaped, and %% %_ %-.
/// %{p} expands to "unknown" (the RFC discourages it and allows that value) to save DNS lookups.
/// </summary>
public static class SpfMacroExpander
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>Returns null when the macro-string is valid, else the syntax error.</summary>
    public static string? Validate(string text, bool allowExplanationLetters)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                if ((c < 0x21 && !(allowExplanationLetters && c == 0x20)) || c > 0x7E) return "invalid character in macro-string";
                continue;
            }

            if (i + 1 >= text.Length) return "'%' at end of macro-string";
            var next = text[i + 1];
            if (next is '%' or '_' or '-')
            {
                i++;
                continue;
            }

            if (next != '{') return $"invalid macro '%{next}'";
            var close = text.IndexOf('}', i + 2);
            if (close < 0) return "unterminated macro";
            var error = ValidateBody(text[(i + 2)..close], allowExplanationLetters);
            if (error is not null) return error;
            i = close;
        }

        return null;
    }

    public static string Expand(string text, SpfMacroContext context, bool isExplanation = false)
    {
        var sb = new StringBuilder(text.Length + 32);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case '%': sb.Append('%'); continue;
                case '_': sb.Append(' '); continue;
                case '-': sb.Append("%20"); continue;
                case '{':
                    var close = text.IndexOf('}', i + 1);
                    if (close < 0) throw new FormatException("unterminated macro");
                    sb.Append(ExpandOne(text[(i + 1)..close], context, isExplanation));
                    i = close;
                    continue;
                default:
                    throw new FormatException($"invalid macro '%{next}'");
            }
        }

        return sb.ToString();
    }

    /// <summary>Expands a domain-spec and shortens it from the left to at most 253 characters (section 7.3).</summary>
    public static string ExpandDomain(string spec, SpfMacroContext context)
    {
        var expanded = Expand(spec, context).TrimEnd('.');
        while (expanded.Length > 253)
        {
            var dot = expanded.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0) break;
            expanded = expanded[(dot + 1)..];
        }

        return expanded;
    }

    private static string? ValidateBody(string body, bool allowExplanationLetters)
    {
        if (body.Length == 0) return "empty macro";
        var letter = char.ToLowerInvariant(body[0]);
        if (!"slodipvh".Contains(letter, StringComparison.Ordinal) && !(allowExplanationLetters && "crt".Contains(letter, StringComparison.Ordinal)))
        {
            return $"invalid macro letter '{body[0]}'";
        }

        var j = 1;
        var digitsStart = j;
        while (j < body.Length && char.IsAsciiDigit(body[j])) j++;
        if (j > digitsStart && int.TryParse(body[digitsStart..j], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n == 0)
        {
            return "macro digit transformer must be nonzero";
        }

        if (j < body.Length && (body[j] == 'r' || body[j] == 'R')) j++;
        for (; j < body.Length; j++)
        {
            if (!Delimiters.Contains(body[j], StringComparison.Ordinal)) return $"invalid macro delimiter '{body[j]}'";
        }

        return null;
    }

    private static string ExpandOne(string body, SpfMacroContext context, bool isExplanation)
    {
        if (ValidateBody(body, isExplanation) is { } error) throw new FormatException(error);
        var letter = body[0];
        var value = char.ToLowerInvariant(letter) switch
        {
            's' => context.Sender,
            'l' => context.LocalPart,
            'o' => context.SenderDomain,
            'd' => context.Domain,
            'i' => ReverseName.ForwardLabels(context.Ip),
            'p' => "unknown",
            'v' => ReverseName.Normalize(context.Ip).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "in-addr" : "ip6",
            'h' => context.Helo,
            'c' => ReverseName.Normalize(context.Ip).ToString(),
            'r' => context.ReceivingHost,
            't' => context.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            _ => throw new FormatException($"invalid macro letter '{letter}'"),
        };

        var j = 1;
        while (j < body.Length && char.IsAsciiDigit(body[j])) j++;
        var digits = j > 1 ? body[1..j] : null;
        var reverse = j < body.Length && (body[j] == 'r' || body[j] == 'R');
        if (reverse) j++;
        var delimiters = j < body.Length ? body[j..] : ".";

        if (digits is not null || reverse || j < body.Length)
        {
            var parts = value.Split(delimiters.ToCharArray());
            if (reverse) Array.Reverse(parts);
            if (digits is not null)
            {
                var keep = digits.Length > 3 ? int.MaxValue : int.Parse(digits, CultureInfo.InvariantCulture);
                if (keep < parts.Length) parts = parts[^keep..];
            }

            value = string.Join('.', parts);
        }

        return char.IsUpper(letter) ? Uri.EscapeDataString(value) : value;
    }
}
