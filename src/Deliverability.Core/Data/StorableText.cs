using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace Deliverability.Core.Data;

/// <summary>
/// The one place where text meets PostgreSQL. A text column cannot hold U+0000 (COPY and INSERT fail with 22021, and a
/// jsonb value refuses the escape \u0000), and Npgsql's strict UTF-8 encoder refuses a lone surrogate. Message data has both:
/// raw NUL bytes, and NULs or broken surrogates produced by charset and encoded-word decoding. Each becomes U+FFFD, so one
/// such character costs a character, never a message or a batch. EF writes pass through <see cref="Converter"/> (every
/// string property, see the DbContext), bulk COPY writes through <see cref="WriteStorableAsync"/> (or <see cref="WriteStorable"/>).
/// </summary>
public static class StorableText
{
    public const char Replacement = '\uFFFD';

    /// <summary>The text with NULs and lone surrogates replaced by U+FFFD; the same instance when there is nothing to replace.</summary>
    public static string? Clean(string? value)
    {
        if (value is null || (value.AsSpan().IndexOf('\0') < 0 && (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 || !HasLoneSurrogate(value))))
        {
            return value;
        }

        return string.Create(value.Length, value, static (target, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (c == '\0')
                {
                    target[i] = Replacement;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    target[i] = c;
                    target[i + 1] = source[i + 1];
                    i++;
                }
                else
                {
                    target[i] = char.IsSurrogate(c) ? Replacement : c;
                }
            }
        });
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Serialised JSON for a jsonb column: the text cleaned, and the escape \u0000 (which jsonb refuses) replaced.</summary>
    public static string CleanJson(string json)
    {
        var clean = Clean(json)!;
        return clean.Contains("\\u0000", StringComparison.Ordinal) ? clean.Replace("\\u0000", "\\uFFFD", StringComparison.Ordinal) : clean;
    }

    /// <summary>Writes one COPY value: null as NULL, text, text arrays and jsonb cleaned, everything else as it is.</summary>
    public static Task WriteStorableAsync<T>(this NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(copy);
        return value switch
        {
            null => copy.WriteNullAsync(ct),
            string json when type == NpgsqlDbType.Jsonb => copy.WriteAsync(CleanJson(json), type, ct),
            string text => copy.WriteAsync(Clean(text), type, ct),
            string?[] texts => copy.WriteAsync(Array.ConvertAll(texts, Clean), type, ct),
            _ => copy.WriteAsync(value, type, ct),
        };
    }

    /// <summary>As <see cref="WriteStorableAsync"/> for a text value, written synchronously (a COPY that writes many rows on a thread of its own).</summary>
    public static void WriteStorable(this NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type)
    {
        ArgumentNullException.ThrowIfNull(copy);
        if (value is null) copy.WriteNull();
        else copy.Write(type == NpgsqlDbType.Jsonb ? CleanJson(value) : Clean(value), type);
    }

    /// <summary>Cleans every string EF Core writes; reads are returned as stored.</summary>
    public sealed class Converter() : ValueConverter<string, string>(v => Clean(v)!, v => v);
}
