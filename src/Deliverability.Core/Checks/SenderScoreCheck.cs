using System.Net;
using System.Text.Json;
using Deliverability.Core.Dns;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.Checks;

/// <summary>Validity Sender Score: &lt;reversed ip&gt;.score.senderscore.com answers 127.0.4.N where N is the 0-100 score.</summary>
public sealed class SenderScoreCheck(IDnsResolver dns, IOptions<ChecksOptions> options)
{
    public const string Name = "senderscore";
    public const int HealthyAbove = 85;
    public const int FailBelow = 70;

    public async Task<CheckResult> RunAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        var zone = options.Value.EffectiveZone(options.Value.SenderScoreZone);
        var query = $"{ReverseName.Labels(ip)}.{zone}";
        var answer = await dns.QueryAsync(new DnsQuestion(query, DnsRecordKind.A, zone), cancellationToken);
        var target = ReverseName.Normalize(ip).ToString();
        int? score = null;
        foreach (var record in answer.Records)
        {
            if (IPAddress.TryParse(record, out var a) && a.GetAddressBytes() is [127, 0, 4, var n] && n <= 100) score = n;
        }

        var evidence = new SenderScoreEvidence(query, answer.Outcome, answer.Records, answer.Error, score);
        var (status, summary) = answer.Outcome switch
        {
            DnsOutcome.Failed => (CheckStatus.Unknown, $"Sender Score lookup failed: {answer.Error}"),
            DnsOutcome.NxDomain or DnsOutcome.NoData => (CheckStatus.Unknown, "No Sender Score: not enough recent volume from this IP for Validity to score it."),
            _ when score is null => (CheckStatus.Unknown, $"Unexpected Sender Score answer {string.Join(", ", answer.Records)}."),
            _ when score > HealthyAbove => (CheckStatus.Pass, $"Sender Score {score}/100: healthy."),
            _ when score >= FailBelow => (CheckStatus.Warn, $"Sender Score {score}/100: middling; providers filter more at this level."),
            _ => (CheckStatus.Fail, $"Sender Score {score}/100: poor; expect blocking and spam-foldering."),
        };
        return CheckResult.Create(Name, target, status, summary, evidence, CheckLinks.SenderScore);
    }

    /// <summary>The score stored in a result's details (<see cref="SenderScoreEvidence"/> as JSON), or null when there is none.</summary>
    public static int? StoredScore(string details)
    {
        try
        {
            using var json = JsonDocument.Parse(details);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("score", out var score)
                && score.ValueKind == JsonValueKind.Number && score.TryGetInt32(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record SenderScoreEvidence(string Query, DnsOutcome Outcome, IReadOnlyList<string> Answers, string? Error, int? Score);
