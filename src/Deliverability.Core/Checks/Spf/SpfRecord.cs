using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;

namespace Deliverability.Core.Checks.Spf;

[JsonConverter(typeof(JsonStringEnumConverter<SpfResult>))]
public enum SpfResult
{
    None,
    Neutral,
    Pass,
    Fail,
    [JsonStringEnumMemberName("softfail")]
    SoftFail,
    [JsonStringEnumMemberName("temperror")]
    TempError,
    [JsonStringEnumMemberName("permerror")]
    PermError,
}

/// <summary>One directive ("-ip4:192.0.2.0/24") or modifier ("redirect=_spf.example.com") of an SPF record.</summary>
public sealed record SpfTerm(
    string Text,
    bool IsModifier,
    string Name,
    char Qualifier = '+',
    string? DomainSpec = null,
    int? Cidr4 = null,
    int? Cidr6 = null,
    IPAddress? Network = null,
    string? ModifierValue = null)
{
    public SpfResult QualifierResult => Qualifier switch
    {
        '-' => SpfResult.Fail,
        '~' => SpfResult.SoftFail,
        '?' => SpfResult.Neutral,
        _ => SpfResult.Pass,
    };

    /// <summary>Mechanisms and the redirect modifier that cost one of the ten DNS lookups (RFC 7208 section 4.6.4).</summary>
    public bool CountsAsLookup => IsModifier ? Name == "redirect" : Name is "a" or "mx" or "ptr" or "include" or "exists";
}

/// <summary>A parsed SPF record: its directives in order, plus the redirect and exp modifiers.</summary>
public sealed record SpfRecord(string Text, IReadOnlyList<SpfTerm> Directives, SpfTerm? Redirect, SpfTerm? Explanation, IReadOnlyList<SpfTerm> UnknownModifiers);

/// <summary>Outcome of parsing: the record, or the syntax error that makes check_host() return permerror.</summary>
public sealed record SpfParseResult(SpfRecord? Record, string? Error)
{
    public bool IsValid => Record is not null;
}

/// <summary>Parses an SPF record by the RFC 7208 section 12 grammar. Any syntax error fails the whole record (section 4.6).</summary>
public static class SpfRecordParser
{
    /// <summary>True when a TXT string is an SPF record: "v=spf1" alone or followed by a space (case-insensitive).</summary>
    public static bool IsSpfRecord(string txt) =>
        txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

    public static SpfParseResult Parse(string text)
    {
        if (!IsSpfRecord(text)) return new(null, "record does not start with v=spf1");
        var directives = new List<SpfTerm>();
        var unknown = new List<SpfTerm>();
        SpfTerm? redirect = null, exp = null;
        foreach (var raw in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (term, error) = ParseTerm(raw);
            if (term is null) return new(null, $"'{raw}': {error}");
            if (!term.IsModifier)
            {
                directives.Add(term);
            }
            else if (term.Name == "redirect")
            {
                if (redirect is not null) return new(null, "more than one redirect modifier");
                redirect = term;
            }
            else if (term.Name == "exp")
            {
                if (exp is not null) return new(null, "more than one exp modifier");
                exp = term;
            }
            else
            {
                unknown.Add(term);
            }
        }

        return new(new SpfRecord(text, directives, redirect, exp, unknown), null);
    }

    private static (SpfTerm? Term, string? Error) ParseTerm(string raw)
    {
        var eq = raw.IndexOf('=', StringComparison.Ordinal);
        var stop = raw.IndexOfAny([':', '/']);
        if (eq > 0 && (stop < 0 || eq < stop))
        {
            var name = raw[..eq];
            if (!IsModifierName(name)) return (null, "invalid modifier name");
            var value = raw[(eq + 1)..];
            var lower = name.ToLowerInvariant();
            if (lower is "redirect" or "exp")
            {
                var domainError = ValidateDomainSpec(value);
                if (domainError is not null) return (null, domainError);
            }
            else if (SpfMacroExpander.Validate(value, allowExplanationLetters: false) is { } macroError)
            {
                return (null, macroError);
            }

            return (new SpfTerm(raw, true, lower, ModifierValue: value, DomainSpec: lower is "redirect" or "exp" ? value : null), null);
        }

        var qualifier = '+';
        var rest = raw;
        if (rest.Length > 0 && "+-~?".Contains(rest[0], StringComparison.Ordinal))
        {
            qualifier = rest[0];
            rest = rest[1..];
        }

        var nameEnd = rest.IndexOfAny([':', '/']);
        var mech = (nameEnd < 0 ? rest : rest[..nameEnd]).ToLowerInvariant();
        var arg = nameEnd < 0 ? "" : rest[nameEnd..];
        switch (mech)
        {
            case "all":
                return arg.Length == 0 ? (new SpfTerm(raw, false, mech, qualifier), null) : (null, "all takes no argument");
            case "include" or "exists":
                {
                    if (!arg.StartsWith(':')) return (null, $"{mech} needs :domain");
                    var spec = arg[1..];
                    var err = ValidateDomainSpec(spec);
                    return err is null ? (new SpfTerm(raw, false, mech, qualifier, spec), null) : (null, err);
                }

            case "ptr":
                {
                    if (arg.Length == 0) return (new SpfTerm(raw, false, mech, qualifier), null);
                    if (!arg.StartsWith(':')) return (null, "ptr takes no CIDR length");
                    var spec = arg[1..];
                    var err = ValidateDomainSpec(spec);
                    return err is null ? (new SpfTerm(raw, false, mech, qualifier, spec), null) : (null, err);
                }

            case "a" or "mx":
                {
                    string? spec = null;
                    var cidrPart = arg;
                    if (arg.StartsWith(':'))
                    {
                        var slash = FindCidrStart(arg);
                        spec = slash < 0 ? arg[1..] : arg[1..slash];
                        cidrPart = slash < 0 ? "" : arg[slash..];
                        var err = ValidateDomainSpec(spec);
                        if (err is not null) return (null, err);
                    }

                    if (!TryParseDualCidr(cidrPart, out var c4, out var c6)) return (null, "invalid CIDR length");
                    return (new SpfTerm(raw, false, mech, qualifier, spec, c4, c6), null);
                }

            case "ip4" or "ip6":
                {
                    if (!arg.StartsWith(':')) return (null, $"{mech} needs :address");
                    var body = arg[1..];
                    var slash = body.IndexOf('/', StringComparison.Ordinal);
                    var addressText = slash < 0 ? body : body[..slash];
                    int? cidr = null;
                    if (slash >= 0)
                    {
                        if (!TryParseCidr(body[(slash + 1)..], mech == "ip4" ? 32 : 128, out var c)) return (null, "invalid CIDR length");
                        cidr = c;
                    }

                    var v4 = mech == "ip4";
                    if (!IPAddress.TryParse(addressText, out var address)
                        || (v4 && (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || addressText.Count(ch => ch == '.') != 3))
                        || (!v4 && (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || addressText.Contains('%', StringComparison.Ordinal))))
                    {
                        return (null, $"invalid {mech} address");
                    }

                    return (new SpfTerm(raw, false, mech, qualifier, null, v4 ? cidr ?? 32 : null, v4 ? null : cidr ?? 128, address), null);
                }

            default:
                return (null, mech.Length == 0 ? "empty mechanism" : $"unknown mechanism '{mech}'");
        }
    }

    /// <summary>Where the CIDR suffix of "a:domain/24//64" starts: the first '/' that begins a valid cidr tail.</summary>
    private static int FindCidrStart(string arg)
    {
        for (var i = 1; i < arg.Length; i++)
        {
            if (arg[i] == '/' && TryParseDualCidr(arg[i..], out _, out _)) return i;
        }

        return -1;
    }

    private static bool TryParseDualCidr(string text, out int? cidr4, out int? cidr6)
    {
        cidr4 = null;
        cidr6 = null;
        if (text.Length == 0) return true;
        if (!text.StartsWith('/')) return false;
        var six = text.IndexOf("//", StringComparison.Ordinal);
        if (six >= 0)
        {
            if (!TryParseCidr(text[(six + 2)..], 128, out var c6)) return false;
            cidr6 = c6;
            text = text[..six];
            if (text.Length == 0) return true;
        }

        if (!TryParseCidr(text[1..], 32, out var c4)) return false;
        cidr4 = c4;
        return true;
    }

    private static bool TryParseCidr(string text, int max, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 3 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0')) return false;
        value = int.Parse(text, CultureInfo.InvariantCulture);
        return value <= max;
    }

    private static bool IsModifierName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>domain-spec = macro-string domain-end; domain-end = "." toplabel ["."] / macro-expand.</summary>
    internal static string? ValidateDomainSpec(string spec)
    {
        if (spec.Length == 0) return "empty domain";
        if (SpfMacroExpander.Validate(spec, allowExplanationLetters: false) is { } macroError) return macroError;
        if (spec.EndsWith('}')) return null;
        var trimmed = spec.EndsWith('.') ? spec[..^1] : spec;
        var dot = trimmed.LastIndexOf('.');
        if (dot < 0) return "domain must have at least two labels";
        var top = trimmed[(dot + 1)..];
        var isTopLabel = top.Length > 0 && top.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && (top.Any(char.IsAsciiLetter) || top.Contains('-', StringComparison.Ordinal)) && top[0] != '-' && top[^1] != '-';
        return isTopLabel ? null : $"invalid top label '{top}'";
    }
}
