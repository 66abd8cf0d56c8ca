using Deliverability.Core.Checks;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Remediation;

/// <summary>Causes of the identity family: how the IP and its mail present themselves (dynamic IP, PTR, SPF, DKIM, DMARC).</summary>
internal static class IdentityCauses
{
    private static readonly string[] SpfCodes = ["5.7.23", "4.7.24", "5.7.24", "5.7.27", "401"];
    private static readonly string[] DkimCodes = ["5.7.30"];
    private static readonly string[] DmarcCodes = ["5.7.509", "5.7.40", "5.7.32", "517", "5.7.515"];

    public static void Add(List<PlannedItem> items, CauseContext context)
    {
        var evidence = context.Evidence;

        // Dynamic IP.
        var dynamic = context.CodesWhere(c => c.Known?.Cause == ProviderCodeCause.DynamicIp || CauseContext.CodeIn(c, ["BL21"]));
        foreach (var check in evidence.Checks.Where(c => c.Check == ReverseDnsCheck.PtrName && c.Status == CheckStatus.Warn && c.DynamicSign))
        {
            dynamic.Add(new(check.Summary, context.Link(RemediationRules.ChecksLink), check.CheckedAt));
        }

        foreach (var check in evidence.Checks.Where(c => RemediationRules.IsListing(c) && c.DynamicSign))
        {
            dynamic.Add(new(check.Summary, context.Link(RemediationRules.ChecksLink), check.CheckedAt));
        }

        if (dynamic.Count > 0)
        {
            items.Add(new("dynamic-ip", RemediationCause.DynamicIp, "Send from a static IP with a proper host name",
                "Ask the provider for a static IP with a PTR like mail.yourdomain (not a generic pool name), or relay through your provider's " +
                "smarthost. Only when the IP really is static: remove it from the Spamhaus PBL at check.spamhaus.org.",
                RemediationVerification.Manual, "Ticked by an operator once the IP is static with its own PTR (or mail goes through a smarthost).", dynamic, 50));
        }

        // Authentication: one item per mechanism, each verified by its checks.
        AddAuthentication(items, context, "ptr", RemediationCause.PtrFailing, "Fix reverse DNS (PTR, FCrDNS, HELO)",
            "Ask whoever owns the IP to set a PTR record to the server's host name, make that name's A/AAAA record point back to the IP, " +
            "and let the MTA greet (HELO/EHLO) with that same name.",
            "The ptr, fcrdns and helo checks pass.", 60,
            context.CodesWhere(c => c.Known?.Cause == ProviderCodeCause.ReverseDns || CauseContext.CodeIn(c, ["5.7.506"])));
        AddAuthentication(items, context, "spf", RemediationCause.SpfFailing, "Fix SPF",
            "Publish one SPF record per sending domain that includes this IP (ip4:/ip6: or an include:), stays under 10 DNS lookups, and ends in ~all or -all.",
            "The spf check passes for every domain the IP sends for.", 61, context.CodesWhere(c => CauseContext.CodeIn(c, SpfCodes)));
        AddAuthentication(items, context, "dkim", RemediationCause.DkimFailing, "Fix DKIM signing",
            "Sign every message with a DKIM key of at least 2048 bits (rsa-sha256) for the From domain and publish the key at selector._domainkey.",
            "The dkim check passes for every key the IP signs with.", 62, context.CodesWhere(c => CauseContext.CodeIn(c, DkimCodes)));
        AddAuthentication(items, context, "dmarc", RemediationCause.DmarcFailing, "Fix DMARC",
            "Publish _dmarc.yourdomain with at least p=none and a rua address, and make SPF or DKIM pass aligned with the From domain.",
            "The dmarc check passes for every domain the IP sends for.", 63, context.CodesWhere(c => CauseContext.CodeIn(c, DmarcCodes)));
    }

    private static void AddAuthentication(List<PlannedItem> items, CauseContext context, string key, RemediationCause cause, string title,
        string action, string verifiedBy, int position, List<RemediationEvidence> fromCodes)
    {
        var names = RemediationRules.VerifyingChecks(key);
        var list = context.Evidence.Checks.Where(c => names.Contains(c.Check, StringComparer.OrdinalIgnoreCase) && c.Status == CheckStatus.Fail)
            .OrderBy(c => c.Check, StringComparer.Ordinal).ThenBy(c => c.Target, StringComparer.Ordinal)
            .Select(c => new RemediationEvidence($"{c.Check} {c.Target}: {c.Summary}", context.Link(RemediationRules.ChecksLink), c.CheckedAt)).ToList();
        list.AddRange(fromCodes);
        if (list.Count > 0)
        {
            items.Add(new(key, cause, title, action, RemediationVerification.Check, verifiedBy, list, position));
        }
    }
}
