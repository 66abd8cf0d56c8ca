using System.Security.Cryptography;

namespace Deliverability.Core.Checks.Dkim;

/// <summary>A DKIM key record (RFC 6376 section 3.6.1) as parsed: the tags, key type and size, and what is wrong with it.</summary>
public sealed record DkimKeyRecord(
    IReadOnlyDictionary<string, string> Tags,
    string KeyType,
    int? KeyBits,
    bool Revoked,
    bool Testing,
    bool StrictSubdomains,
    IReadOnlyList<string> HashAlgorithms,
    string? Error);

/// <summary>Parses DKIM key records and measures the public key with System.Security.Cryptography.</summary>
public static class DkimKeyRecordParser
{
    public static bool LooksLikeKeyRecord(string txt) =>
        txt.TrimStart().StartsWith("v=DKIM1", StringComparison.OrdinalIgnoreCase)
        || (txt.Contains("p=", StringComparison.Ordinal) && (txt.Contains("k=", StringComparison.Ordinal) || txt.TrimStart().StartsWith("p=", StringComparison.Ordinal)));

    public static DkimKeyRecord Parse(string text)
    {
        var (list, error) = TagList.Parse(text);
        var tags = list.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var keyType = tags.TryGetValue("k", out var k) ? k.ToLowerInvariant() : "rsa";
        var flags = tags.TryGetValue("t", out var t) ? t.Split(':', StringSplitOptions.TrimEntries) : [];
        var hashes = tags.TryGetValue("h", out var h) ? h.Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        DkimKeyRecord Result(int? bits, bool revoked, string? err) =>
            new(tags, keyType, bits, revoked, flags.Contains("y"), flags.Contains("s"), hashes, err);

        if (error is not null) return Result(null, false, error);
        if (list.Count > 0 && list[0].Key == "v" && list[0].Value != "DKIM1") return Result(null, false, $"v={list[0].Value} (must be DKIM1)");
        if (tags.ContainsKey("v") && list[0].Key != "v") return Result(null, false, "v= must be the first tag");
        if (!tags.TryGetValue("p", out var p)) return Result(null, false, "no p= tag (public key)");
        var base64 = new string(p.Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (base64.Length == 0) return Result(null, true, null);

        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return Result(null, false, "p= is not valid base64");
        }

        switch (keyType)
        {
            case "rsa":
                using (var rsa = RSA.Create())
                {
                    try
                    {
                        rsa.ImportSubjectPublicKeyInfo(der, out _);
                    }
                    catch (CryptographicException)
                    {
                        try
                        {
                            rsa.ImportRSAPublicKey(der, out _);
                        }
                        catch (CryptographicException)
                        {
                            return Result(null, false, "p= is not an RSA public key (SubjectPublicKeyInfo or RSAPublicKey)");
                        }
                    }

                    return Result(rsa.KeySize, false, null);
                }

            case "ed25519":
                return der.Length == 32 ? Result(256, false, null) : Result(null, false, $"ed25519 key is {der.Length} bytes (expected 32)");
            default:
                return Result(null, false, $"unknown key type k={keyType}");
        }
    }
}
