using Deliverability.Core.Dns;

namespace Deliverability.Core.Checks.Dkim;

/// <summary>Checks the DKIM key published for (domain, selector): present, parses, not revoked, strong enough (RFC 8301), not in testing mode.</summary>
public sealed class DkimCheck(IDnsResolver dns)
{
    public const string Name = "dkim";

    public async Task<CheckResult> RunAsync(string domain, string selector, CancellationToken cancellationToken)
    {
        var name = $"{selector}._domainkey.{domain}".ToLowerInvariant();
        var answer = await dns.QueryAsync(name, DnsRecordKind.Txt, cancellationToken);
        var evidence = new DkimEvidence(domain, selector, name, answer.Outcome, answer.Records, answer.Error);
        if (answer.IsFailure) return Result(CheckStatus.Unknown, $"DKIM key lookup {name} failed: {answer.Error}", evidence);

        var keys = answer.Records.Where(DkimKeyRecordParser.LooksLikeKeyRecord).ToList();
        if (keys.Count == 0)
        {
            return Result(CheckStatus.Fail, answer.Records.Count == 0
                ? $"No DKIM key at {name}: mail signed with selector '{selector}' fails DKIM."
                : $"TXT at {name} is not a DKIM key record.", evidence);
        }

        if (keys.Count > 1) return Result(CheckStatus.Fail, $"{keys.Count} DKIM key records at {name}: verifiers may pick either.", evidence);

        var key = DkimKeyRecordParser.Parse(keys[0]);
        evidence = evidence with { Key = key };
        if (key.Error is not null) return Result(CheckStatus.Fail, $"DKIM key at {name} does not parse: {key.Error}.", evidence);
        if (key.Revoked) return Result(CheckStatus.Fail, $"DKIM key at {name} is revoked (empty p=).", evidence);
        if (key.HashAlgorithms.Count > 0 && !key.HashAlgorithms.Contains("sha256", StringComparer.OrdinalIgnoreCase))
        {
            return Result(CheckStatus.Fail, $"DKIM key at {name} allows only h={string.Join(':', key.HashAlgorithms)}; RFC 8301 forbids rsa-sha1.", evidence);
        }

        var describe = key.KeyType == "rsa" ? $"RSA-{key.KeyBits}" : $"{key.KeyType}";
        if (key.KeyType == "rsa" && key.KeyBits < 1024)
        {
            return Result(CheckStatus.Fail, $"DKIM key at {name} is {describe}: below 1024 bits, verifiers must reject it (RFC 8301).", evidence);
        }

        if (key.Testing) return Result(CheckStatus.Warn, $"DKIM key at {name} is {describe} but in testing mode (t=y): receivers treat the mail as unsigned.", evidence);
        if (key.KeyType == "rsa" && key.KeyBits < 2048)
        {
            return Result(CheckStatus.Warn, $"DKIM key at {name} is {describe}: works, but 2048 bits is recommended.", evidence);
        }

        return Result(CheckStatus.Pass, $"DKIM key at {name} is valid ({describe}).", evidence);

        CheckResult Result(CheckStatus status, string summary, DkimEvidence details) =>
            CheckResult.Create(Name, name, status, summary, details, CheckLinks.Dkim);
    }

    /// <summary>True when a DKIM result shows a usable key (pass or warn because of size/testing).</summary>
    public static bool HasUsableKey(CheckResult result) =>
        result.Check == Name && result.Status is CheckStatus.Pass or CheckStatus.Warn;
}

public sealed record DkimEvidence(
    string Domain,
    string Selector,
    string Query,
    DnsOutcome Outcome,
    IReadOnlyList<string> Records,
    string? Error,
    DkimKeyRecord? Key = null);
