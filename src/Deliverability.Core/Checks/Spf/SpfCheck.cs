using System.Net;

namespace Deliverability.Core.Checks.Spf;

/// <summary>Runs check_host() for the sending IP against a domain's SPF policy and turns the result into a check result.</summary>
public sealed class SpfCheck(SpfEvaluator evaluator)
{
    public const string Name = "spf";

    public async Task<CheckResult> RunAsync(IPAddress ip, string domain, string? helo, CancellationToken cancellationToken)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        var evaluation = await evaluator.EvaluateAsync(ip, domain, null, helo, cancellationToken);
        var lookups = $"{evaluation.DnsLookups}/{SpfEvaluator.MaxDnsLookups} DNS lookups";
        var (status, summary) = evaluation.Result switch
        {
            SpfResult.Pass => (CheckStatus.Pass, $"SPF pass for {ip} ({lookups}{(evaluation.DnsLookups >= 9 ? ", close to the limit" : "")})."),
            SpfResult.Neutral => (CheckStatus.Warn, $"SPF neutral for {ip}: {domain} does not authorise it; Outlook needs pass."),
            SpfResult.SoftFail => (CheckStatus.Fail, $"SPF softfail for {ip}: {domain} does not list it; Outlook needs pass."),
            SpfResult.Fail => (CheckStatus.Fail, $"SPF fail for {ip}: {domain} does not authorise it."),
            SpfResult.None => (CheckStatus.Fail, $"No SPF record for {domain}."),
            SpfResult.PermError => (CheckStatus.Fail, $"SPF permerror: {evaluation.Reason}."),
            _ => (CheckStatus.Unknown, $"SPF temperror: {evaluation.Reason}."),
        };
        return CheckResult.Create(Name, domain, status, summary, evaluation, CheckLinks.Spf);
    }
}
