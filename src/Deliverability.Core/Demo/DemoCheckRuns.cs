using System.Text.Json.Nodes;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;

namespace Deliverability.Core.Demo;

/// <summary>
/// The demo's DNS check runs, written as stored results (the demo's names do not resolve here): every IP passes PTR, FCrDNS,
/// HELO and DKIM, the blocked one fails SPF, the listed one is on SpamCop and PSBL, each has its Sender Score.
/// </summary>
internal static class DemoCheckRuns
{
    public static async Task StoreAsync(DeliverabilityDbContext db, SendingIp[] ips, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var ip in ips.Where(i => !i.Address.Equals(DemoSeeder.SpareIp)))
        {
            var address = ip.Address.ToString();
            var run = new CheckRun { SendingIpId = ip.Id, StartedAt = now.AddMinutes(-20), FinishedAt = now.AddMinutes(-19), Trigger = CheckTrigger.Scheduled, Status = CheckRunStatus.Completed };
            db.CheckRuns.Add(run);
            await db.SaveChangesAsync(ct);

            var spfPasses = !ip.Address.Equals(DemoSeeder.BlockedIp);
            var results = new List<StoredCheckResult>
            {
                Result(run, ip, "ptr", address, CheckStatus.Pass, $"{address} has PTR {ip.HeloName}.", new JsonObject { ["names"] = new JsonArray(ip.HeloName) }),
                Result(run, ip, "fcrdns", address, CheckStatus.Pass, $"{ip.HeloName} resolves back to {address}.", new JsonObject()),
                Result(run, ip, "helo", ip.HeloName!, CheckStatus.Pass, $"HELO {ip.HeloName} resolves to {address} and matches the PTR.", new JsonObject()),
                Result(run, ip, "spf", DemoSeeder.Domain, spfPasses ? CheckStatus.Pass : CheckStatus.Fail,
                    spfPasses ? $"SPF pass for {address} (3/10 DNS lookups)." : $"SPF fail for {address}: {DemoSeeder.Domain}'s record does not allow this IP (3/10 DNS lookups).",
                    SpfEvidence(address, spfPasses)),
                Result(run, ip, "dkim", DemoSeeder.Domain + ":demo2026", CheckStatus.Pass, "DKIM key demo2026._domainkey." + DemoSeeder.Domain + ": RSA 2048 bits.", new JsonObject { ["bits"] = 2048 }),
                Result(run, ip, "dmarc", DemoSeeder.Domain, CheckStatus.Warn, $"DMARC record for {DemoSeeder.Domain} with p=none: reports only, no protection.", new JsonObject { ["record"] = "v=DMARC1; p=none; rua=mailto:dmarc@" + DemoSeeder.Domain }),
            };
            var score = ip.Address.Equals(DemoSeeder.BlockedIp) ? 61 : ip.Address.Equals(DemoSeeder.ListedIp) ? 78 : ip.Address.Equals(DemoSeeder.HealthyIp) ? 96 : (int?)null;
            results.Add(Result(run, ip, SenderScoreCheck.Name, address, score is null ? CheckStatus.Unknown : score >= 85 ? CheckStatus.Pass : score >= 70 ? CheckStatus.Warn : CheckStatus.Fail,
                score is null ? "Sender Score has no data for this IP." : $"Sender Score {score} of 100.", new JsonObject { ["score"] = score }, CheckLinks.SenderScore));
            foreach (var zone in BlocklistCatalogue.All.Where(z => z.EnabledByDefault && !z.IsReputation))
            {
                var listed = ip.Address.Equals(DemoSeeder.ListedIp) && zone.Zone is "bl.spamcop.net" or "psbl.surriel.com";
                results.Add(Result(run, ip, BlocklistCheck.CheckName(zone), address, listed ? CheckStatus.Fail : CheckStatus.Pass,
                    listed ? $"Listed on {zone.Name}: 127.0.0.2 {zone.Codes[0].Meaning}. Removal: {zone.RemovalUrl}" : $"Not listed on {zone.Name}.",
                    new JsonObject { ["zone"] = zone.Zone, ["listed"] = listed }, zone.RemovalUrl));
            }

            run.PassCount = results.Count(r => r.Status == CheckStatus.Pass);
            run.WarnCount = results.Count(r => r.Status == CheckStatus.Warn);
            run.FailCount = results.Count(r => r.Status == CheckStatus.Fail);
            run.UnknownCount = results.Count(r => r.Status == CheckStatus.Unknown);
            db.CheckResults.AddRange(results);
            await db.SaveChangesAsync(ct);
        }
    }

    private static JsonObject SpfEvidence(string address, bool passes)
    {
        var record = passes ? $"v=spf1 ip4:{address} include:_spf.mail.example ~all" : "v=spf1 ip4:203.0.113.99 include:_spf.mail.example -all";
        return new JsonObject
        {
            ["result"] = passes ? "pass" : "fail",
            ["domain"] = DemoSeeder.Domain,
            ["ip"] = address,
            ["dns_lookups"] = 3,
            ["void_lookups"] = 0,
            ["trace"] = new JsonObject
            {
                ["domain"] = DemoSeeder.Domain,
                ["record"] = record,
                ["result"] = passes ? "pass" : "fail",
                ["terms"] = new JsonArray(
                    new JsonObject { ["term"] = passes ? $"ip4:{address}" : "ip4:203.0.113.99", ["matched"] = passes },
                    new JsonObject { ["term"] = "include:_spf.mail.example", ["matched"] = false, ["nested"] = new JsonObject { ["domain"] = "_spf.mail.example", ["record"] = "v=spf1 ip4:192.0.2.0/28 -all", ["result"] = "fail", ["terms"] = new JsonArray(new JsonObject { ["term"] = "ip4:192.0.2.0/28", ["matched"] = false }, new JsonObject { ["term"] = "-all", ["matched"] = true }) } },
                    new JsonObject { ["term"] = passes ? "~all" : "-all", ["matched"] = !passes }),
            },
        };
    }

    private static StoredCheckResult Result(CheckRun run, SendingIp ip, string check, string target, CheckStatus status, string summary, JsonObject details, string? link = null) => new()
    {
        RunId = run.Id,
        SendingIpId = ip.Id,
        Check = check,
        Target = target,
        Status = status,
        Summary = summary,
        Details = details.ToJsonString(CheckJson.Options),
        Link = link,
        CheckedAt = run.FinishedAt!.Value,
    };
}
