using System.Globalization;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Providers;
using Deliverability.Core.Bounces;

namespace Deliverability.Core.Remediation;

/// <summary>A checklist item as the rules want it; <see cref="ChecklistUpdate"/> turns it into a stored <see cref="RemediationItem"/>.</summary>
public sealed record PlannedItem(
    string Key,
    RemediationCause Cause,
    string Title,
    string Action,
    RemediationVerification Verification,
    string VerifiedBy,
    IReadOnlyList<RemediationEvidence> Evidence,
    int Position);

/// <summary>
/// The diagnosis rules: from an IP's evidence to the causes it shows, as checklist items. Pure (no I/O, no clock but
/// <see cref="IpEvidence.Now"/>). Thresholds are constants here and are explained in docs/diagnosis.md.
/// </summary>
public static class RemediationRules
{
    /// <summary>Bounces, complaints, SNDS days and log hours older than this are not evidence any more.</summary>
    public const int EvidenceDays = 30;

    /// <summary>Spam complaints: this many feedback-loop complaints in the window raise the item on their own.</summary>
    public const int ComplaintCount = 5;

    /// <summary>Spam complaints: complaints per delivered message (logs) or SNDS complaint rate above this (0.3 %).</summary>
    public const decimal ComplaintRate = 0.003m;

    /// <summary>New IP: first activity less than this many days ago.</summary>
    public const int YoungIpDays = 30;

    /// <summary>New IP: fewer log attempts than this in the window also counts as "no history".</summary>
    public const int LowVolumeAttempts = 1000;

    /// <summary>Bounce rates are computed against log attempts only from this many attempts up.</summary>
    public const int MinimumAttempts = 100;

    /// <summary>High bounce rate: hard bounces (or logged bounces) above this share of attempts (10 %).</summary>
    public const double HardBounceShare = 0.10;

    /// <summary>High bounce rate without logs: at least this many hard-bounce reports, and above <see cref="HardBounceShare"/> of reports.</summary>
    public const int HardBounceReportsWithoutLogs = 20;

    /// <summary>Unknown users: above this share of attempts (2 %), or without logs at least <see cref="UnknownUserReportsWithoutLogs"/> reports.</summary>
    public const double UnknownUserShare = 0.02;

    public const int UnknownUserReportsWithoutLogs = 20;

    /// <summary>Sudden volume change: a day with more than this factor of the previous 7 days' average attempts...</summary>
    public const double VolumeJumpFactor = 3.0;

    /// <summary>...and at least this many attempts that day (small numbers jump easily).</summary>
    public const int VolumeJumpMinimumAttempts = 500;

    /// <summary>Login spike: an hour with more than this factor of the user's median hourly logins...</summary>
    public const double LoginSpikeFactor = 5.0;

    /// <summary>...and more than this many logins.</summary>
    public const int LoginSpikeMinimum = 20;

    public const string BouncesLink = "#bounces";
    public const string ChecksLink = "#checks";
    public const string ActivityLink = "#activity";

    private static readonly string[] ContentReasons = [BounceReasons.SpamDetected, BounceReasons.PolicyViolation, BounceReasons.ContentError, BounceReasons.VirusDetected];
    private static readonly string[] SpfCodes = ["5.7.23", "4.7.24", "5.7.24", "5.7.27", "401"];
    private static readonly string[] DkimCodes = ["5.7.30"];
    private static readonly string[] DmarcCodes = ["5.7.509", "5.7.40", "5.7.32", "517", "5.7.515"];
    private static readonly string[] RateLimitCodes = ["RP-001", "RP-002", "RP-003", "4.7.650", "4.7.651", "4.7.652", "4.7.500-699", "4.7.850-899"];

    /// <summary>The checks that verify an item, by the item's key; empty for manual items.</summary>
    public static IReadOnlyList<string> VerifyingChecks(string key) => key switch
    {
        "spf" => [SpfCheck.Name],
        "dkim" => [DkimCheck.Name],
        "dmarc" => [DmarcCheck.Name],
        "ptr" => [ReverseDnsCheck.PtrName, ReverseDnsCheck.FcrdnsName, ReverseDnsCheck.HeloName],
        _ when key.StartsWith(BlocklistCheck.Prefix, StringComparison.Ordinal) => [key],
        _ => [],
    };

    /// <summary>
    /// What the latest checks say about a check-verified item: false when one of its checks fails, true when all of them ran and
    /// none fails (a warning is not a failure), null when they did not run or could not tell (the item keeps its state).
    /// </summary>
    public static (bool? Passing, DateTimeOffset? At) CheckVerdict(string key, IReadOnlyList<CheckSighting> checks)
    {
        var names = VerifyingChecks(key);
        var relevant = checks.Where(c => names.Contains(c.Check, StringComparer.OrdinalIgnoreCase)).ToList();
        if (relevant.Count == 0) return (null, null);
        if (relevant.Any(c => c.Status == CheckStatus.Fail)) return (false, relevant.Max(c => c.CheckedAt));
        if (relevant.Any(c => c.Status == CheckStatus.Unknown)) return (null, null);
        return (true, relevant.Max(c => c.CheckedAt));
    }

    /// <summary>
    /// Whether the latest checks of a check-verified item could not tell: one of them is Unknown (a failed lookup, an untrusted
    /// resolver or list) and none fails. Such an item is neither ticked nor taken for gone.
    /// </summary>
    public static bool CheckUndecided(string key, IReadOnlyList<CheckSighting> checks)
    {
        var names = VerifyingChecks(key);
        var relevant = checks.Where(c => names.Contains(c.Check, StringComparer.OrdinalIgnoreCase)).ToList();
        return relevant.Any(c => c.Status == CheckStatus.Unknown) && relevant.All(c => c.Status != CheckStatus.Fail);
    }

    /// <summary>The items the evidence calls for, most urgent first.</summary>
    public static IReadOnlyList<PlannedItem> Plan(IpEvidence evidence)
    {
        var items = new List<PlannedItem>();
        var ip = evidence.SendingIpId;
        string Link(string anchor) => $"/ips/{ip}{anchor}";
        string? Upload(long? batchId) => batchId is { } id ? $"/uploads/{id}" : null;
        var since = evidence.Now.AddDays(-EvidenceDays);

        var codes = evidence.Codes.Select(c => (Sighting: c, Known: ProviderCodeCatalog.Find(c.Provider, c.Code))).ToList();
        RemediationEvidence CodeEvidence((CodeSighting Sighting, ProviderCode? Known) c) =>
            new($"{SeenAs(c.Sighting)} with {c.Sighting.Code} from {IpVerdict.ProviderName(c.Sighting.Provider)}" +
                (c.Known is null ? "" : $": {c.Known.Meaning}"),
                c.Sighting.FromLog ? Link(ActivityLink) : Upload(c.Sighting.LatestBatchId) ?? Link(BouncesLink), c.Sighting.Last);
        List<RemediationEvidence> CodesWhere(Func<(CodeSighting Sighting, ProviderCode? Known), bool> predicate) =>
            codes.Where(predicate).OrderByDescending(c => c.Sighting.Last).ThenBy(c => c.Sighting.Code, StringComparer.Ordinal).Select(CodeEvidence).ToList();
        static bool CodeIn((CodeSighting Sighting, ProviderCode? Known) c, string[] set) =>
            set.Contains(c.Known?.Code ?? c.Sighting.Code, StringComparer.OrdinalIgnoreCase);

        // Blocklists: one item per list that lists the IP, verified by that list's check.
        foreach (var check in evidence.Checks.Where(c => IsListing(c)).OrderBy(c => c.Check, StringComparer.Ordinal))
        {
            var zone = BlocklistCatalogue.Find(check.Check[BlocklistCheck.Prefix.Length..]);
            var name = zone?.Name ?? check.Check[BlocklistCheck.Prefix.Length..];
            var removal = zone is { RemovalUrl.Length: > 0 } ? zone.RemovalUrl : null;
            var list = new List<RemediationEvidence> { new(check.Summary, Link(ChecksLink), check.CheckedAt) };
            if (removal is not null) list.Add(new($"Removal: {removal}", removal));
            items.Add(new(check.Check, RemediationCause.Blocklisted, $"Get off {name}",
                $"Fix what got the IP listed (see the other items), then request removal from {name}" +
                (removal is null ? "." : $" at {removal}.") + (zone is null ? "" : $" {zone.QueryTerms}"),
                RemediationVerification.Check, $"The {check.Check} check passes (the IP is no longer listed).", list, 10));
        }

        // Blocklists named by the refusals themselves ("blocked using zen.spamhaus.org"): listing evidence before any DNS check.
        foreach (var mention in BlocklistRefusals(evidence))
        {
            var key = BlocklistCheck.Prefix + mention.Zone;
            var text = $"{Count(mention.Count, "refusal")} name {(mention.Zone == BlocklistMention.Unnamed ? "a blocklist without saying which" : mention.Zone)}" +
                $" (first {IpVerdict.FormatTime(mention.First)}, last {IpVerdict.FormatTime(mention.Last)})";
            var proof = new RemediationEvidence(text, mention.Href ?? Link(BouncesLink), mention.Last);
            if (items.FirstOrDefault(i => i.Key == key) is { } existing)
            {
                items[items.IndexOf(existing)] = existing with { Evidence = [.. existing.Evidence, proof] };
                continue;
            }

            var zone = BlocklistCatalogue.Find(mention.Zone);
            var name = zone?.Name ?? mention.Zone;
            var removal = zone is { RemovalUrl.Length: > 0 } ? zone.RemovalUrl : null;
            var list = new List<RemediationEvidence> { proof };
            if (removal is not null) list.Add(new($"Removal: {removal}", removal));
            items.Add(zone is null
                ? new(key, RemediationCause.Blocklisted, "Find the blocklist receivers refuse the IP for",
                    "Receivers refuse the IP as blocklisted without naming the list: run the checks (Check now) to see which lists have it, fix what got it listed, then request removal there.",
                    RemediationVerification.Manual, "Ticked by an operator once the IP is off the list.", list, 10)
                : new(key, RemediationCause.Blocklisted, $"Get off {name}",
                    $"Receivers refuse the IP because it is on {name}. Fix what got it listed (see the other items), then request removal" +
                    (removal is null ? "." : $" at {removal}.") + $" {zone.QueryTerms}",
                    RemediationVerification.Check, $"The {key} check passes (the IP is no longer listed).", list, 10));
        }

        // The provider's own block on the IP (S3150, Gmail 5.7.1 ...): a reputation block is its own cause, never a bounce-rate problem.
        if (IpStatusRules.CurrentBlock(evidence) is { } block && ProviderCodeCatalog.Find(block.Provider, block.Code) is { Cause: ProviderCodeCause.Blocklist or ProviderCodeCause.Reputation } blockCode)
        {
            var provider = IpVerdict.ProviderName(block.Provider);
            var sightings = codes.Where(c => c.Sighting.Provider == block.Provider && IpStatusRules.IsBlockCode(c.Sighting.Provider, c.Sighting.Code))
                .OrderByDescending(c => c.Sighting.Last).Select(CodeEvidence).ToList();
            sightings.Insert(0, new($"First block {IpVerdict.FormatTime(block.Since)} ({block.FirstCode}, {(block.FirstSource == EvidenceSource.LogLine ? "log line" : "bounce")})",
                Link(block.FirstSource == EvidenceSource.LogLine ? ActivityLink : BouncesLink), block.Since));
            items.Add(new($"provider-block:{block.Provider}", RemediationCause.ProviderBlock, $"Find why {provider} blocks the IP",
                $"{provider} refuses the IP itself ({block.Code}): {blockCode.Meaning} Look at what the IP sent in the 24-48 hours before the first block " +
                "(login spikes, a new campaign or list, a volume jump, complaints), fix that first, then ask for delisting; the other items list what the evidence shows.",
                RemediationVerification.Manual, "Ticked by an operator once the cause is found and fixed.", sightings, 15));
        }

        // Compromised host or account: the provider says so, or a user's logins spike.
        var compromised = CodesWhere(c => c.Known?.Cause is ProviderCodeCause.InfectedHost or ProviderCodeCause.OpenRelay);
        foreach (var spike in LoginSpikes(evidence.Logins))
        {
            compromised.Add(new(string.Create(CultureInfo.InvariantCulture,
                $"{spike.Succeeded} logins by {spike.User} in one hour ({IpVerdict.FormatTime(spike.Hour)}), usually {spike.Median:0.#} an hour"),
                Link(ActivityLink), spike.Hour));
        }

        if (compromised.Count > 0)
        {
            items.Add(new("compromised-host", RemediationCause.CompromisedHost, "Find and clean the compromised host or account",
                "Look for malware, open relay or proxy settings and stolen SMTP passwords: reset the passwords of the users with login spikes, " +
                "close open relaying (only authenticated users and your own networks may relay), scan the server and the PCs behind it, and " +
                "check the mail queue for spam before asking for delisting.",
                RemediationVerification.Manual, "Ticked by an operator once the host and accounts are clean.", compromised, 20));
        }

        // Spam complaints.
        var complaints = new List<RemediationEvidence>();
        var complaintsEvident = false;
        var c0 = evidence.Complaints;
        if (c0.Count > 0)
        {
            var rate = evidence.LogSent > 0 ? (decimal)c0.Count / evidence.LogSent : (decimal?)null;
            complaintsEvident |= c0.Count >= ComplaintCount || rate > ComplaintRate;
            complaints.Add(new(Count(c0.Count, "spam complaint") + " from feedback loops (ARF/JMRP)" +
                (rate is { } r ? string.Create(CultureInfo.InvariantCulture, $", {r:P2} of delivered messages") : ""),
                Upload(c0.LatestBatchId) ?? Link(ActivityLink), c0.Last));
        }

        var snds = evidence.SndsDays.Where(d => d.Day >= DateOnly.FromDateTime(since.UtcDateTime)).ToList();
        if (snds.Where(d => d.ComplaintRate > ComplaintRate).ToList() is { Count: > 0 } highRate)
        {
            complaintsEvident = true;
            var worst = highRate.OrderByDescending(d => d.ComplaintRate).ThenByDescending(d => d.Day).First();
            complaints.Add(new(string.Create(CultureInfo.InvariantCulture,
                $"SNDS complaint rate above 0.3 % on {Count(highRate.Count, "day")} (worst {worst.ComplaintRate:P2} on {worst.Day:d MMM})"),
                Link(ActivityLink), DayStart(worst.Day)));
        }

        if (snds.Where(d => d.FilterResult is "RED" or "YELLOW").ToList() is { Count: > 0 } filtered)
        {
            complaintsEvident = true;
            complaints.Add(new($"SNDS filter result RED or YELLOW on {Count(filtered.Count, "day")} (last {filtered.Max(d => d.Day).ToString("d MMM", CultureInfo.InvariantCulture)})",
                Link(ActivityLink), DayStart(filtered.Max(d => d.Day))));
        }

        if (snds.Sum(d => d.TrapHits) is > 0 and var traps)
        {
            complaintsEvident = true;
            complaints.Add(new($"{Count(traps, "spam trap hit")} in SNDS", Link(ActivityLink), DayStart(snds.Where(d => d.TrapHits > 0).Max(d => d.Day))));
        }

        if (CodesWhere(c => c.Known?.Cause == ProviderCodeCause.Complaints) is { Count: > 0 } complaintCodes)
        {
            complaintsEvident = true;
            complaints.AddRange(complaintCodes);
        }

        if (complaintsEvident)
        {
            items.Add(new("spam-complaints", RemediationCause.SpamComplaints, "Stop the spam complaints",
                "Join Microsoft JMRP and Yahoo's complaint feedback loop, unsubscribe every complainer at once, send only to people who opted in, " +
                "add a one-click List-Unsubscribe header, and remove addresses that hit spam traps (old or bought lists).",
                RemediationVerification.Manual, "Ticked by an operator once complainers are suppressed and the list is cleaned.", complaints, 30));
        }

        // Spam volume or content.
        var content = CodesWhere(c => c.Known?.Cause == ProviderCodeCause.Content || CodeIn(c, ["SC-001", "OU-002"]));
        foreach (var reason in evidence.Reasons.Where(r => ContentReasons.Contains(r.Reason)).OrderByDescending(r => r.Last))
        {
            content.Add(new($"{Count(reason.Count, "bounce")} refused as {reason.Reason}", Upload(reason.LatestBatchId) ?? Link(BouncesLink), reason.Last));
        }

        if (content.Count > 0)
        {
            items.Add(new("spam-content", RemediationCause.SpamContent, "Clean up what the IP sends",
                "Find who or what sends the refused mail (look at the bounced messages' senders and subjects), stop bulk or unsolicited sending " +
                "from this IP, remove spammy content and URL shorteners, and keep newsletters on a separate IP or service.",
                RemediationVerification.Manual, "Ticked by an operator once the sending is cleaned up.", content, 40));
        }

        // Dynamic IP.
        var dynamic = CodesWhere(c => c.Known?.Cause == ProviderCodeCause.DynamicIp || CodeIn(c, ["BL21"]));
        foreach (var check in evidence.Checks.Where(c => c.Check == ReverseDnsCheck.PtrName && c.Status == CheckStatus.Warn && c.Summary.Contains("generic", StringComparison.OrdinalIgnoreCase)))
        {
            dynamic.Add(new(check.Summary, Link(ChecksLink), check.CheckedAt));
        }

        foreach (var check in evidence.Checks.Where(c => IsListing(c) && (c.Summary.Contains("PBL", StringComparison.Ordinal) || c.Summary.Contains("Dyna", StringComparison.Ordinal))))
        {
            dynamic.Add(new(check.Summary, Link(ChecksLink), check.CheckedAt));
        }

        if (dynamic.Count > 0)
        {
            items.Add(new("dynamic-ip", RemediationCause.DynamicIp, "Send from a static IP with a proper host name",
                "Ask the provider for a static IP with a PTR like mail.yourdomain (not a generic pool name), or relay through your provider's " +
                "smarthost. Only when the IP really is static: remove it from the Spamhaus PBL at check.spamhaus.org.",
                RemediationVerification.Manual, "Ticked by an operator once the IP is static with its own PTR (or mail goes through a smarthost).", dynamic, 50));
        }

        // Authentication: one item per mechanism, each verified by its checks.
        AddAuthentication(items, evidence, "ptr", RemediationCause.PtrFailing, "Fix reverse DNS (PTR, FCrDNS, HELO)",
            "Ask whoever owns the IP to set a PTR record to the server's host name, make that name's A/AAAA record point back to the IP, " +
            "and let the MTA greet (HELO/EHLO) with that same name.",
            "The ptr, fcrdns and helo checks pass.", 60,
            CodesWhere(c => c.Known?.Cause == ProviderCodeCause.ReverseDns || CodeIn(c, ["5.7.506"])), Link);
        AddAuthentication(items, evidence, "spf", RemediationCause.SpfFailing, "Fix SPF",
            "Publish one SPF record per sending domain that includes this IP (ip4:/ip6: or an include:), stays under 10 DNS lookups, and ends in ~all or -all.",
            "The spf check passes for every domain the IP sends for.", 61, CodesWhere(c => CodeIn(c, SpfCodes)), Link);
        AddAuthentication(items, evidence, "dkim", RemediationCause.DkimFailing, "Fix DKIM signing",
            "Sign every message with a DKIM key of at least 2048 bits (rsa-sha256) for the From domain and publish the key at selector._domainkey.",
            "The dkim check passes for every key the IP signs with.", 62, CodesWhere(c => CodeIn(c, DkimCodes)), Link);
        AddAuthentication(items, evidence, "dmarc", RemediationCause.DmarcFailing, "Fix DMARC",
            "Publish _dmarc.yourdomain with at least p=none and a rua address, and make SPF or DKIM pass aligned with the From domain.",
            "The dmarc check passes for every domain the IP sends for.", 63, CodesWhere(c => CodeIn(c, DmarcCodes)), Link);

        // Mail to unknown users and the bounce rate: recipient failures only (never a policy, reputation or content refusal), from
        // bounces and log lines alike, judged over the last day, 3 days and 30 days so that a burst is not averaged away.
        var unknown = CodesWhere(c => c.Known?.Cause == ProviderCodeCause.NamespaceMining);
        if (RecipientRate(evidence, r => r.IsUnknownUser, UnknownUserShare, UnknownUserReportsWithoutLogs) is { } unknownRate)
        {
            unknown.Add(new(unknownRate.Text("for unknown users"), unknownRate.Href ?? Link(unknownRate.FromLogs ? ActivityLink : BouncesLink), unknownRate.Last));
        }

        if (unknown.Count > 0)
        {
            items.Add(new("unknown-users", RemediationCause.UnknownRecipients, "Stop mailing addresses that do not exist",
                "Remove every address that bounced as unknown after the first hard bounce, stop any address 'verification' by RCPT probing, " +
                "and use confirmed opt-in for new sign-ups.",
                RemediationVerification.Manual, "Ticked by an operator once hard-bounced addresses are suppressed.", unknown, 70));
        }

        if (RecipientRate(evidence, r => r.IsRecipientFailure, HardBounceShare, HardBounceReportsWithoutLogs) is { } bounceRate)
        {
            items.Add(new("high-bounce-rate", RemediationCause.HighBounceRate, "Bring the bounce rate down",
                "Suppress hard-bounced addresses automatically, re-confirm or drop addresses that have not engaged in a year, and never import " +
                "old or bought lists. Keep hard bounces under 2 % of what you send.",
                RemediationVerification.Manual, "Ticked by an operator once bounce handling suppresses addresses.",
                [new(bounceRate.Text("for recipients that do not take mail (unknown, full, moved)"), bounceRate.Href ?? Link(bounceRate.FromLogs ? ActivityLink : BouncesLink), bounceRate.Last)], 80));
        }

        // Sudden volume change.
        if (VolumeJump(evidence) is { } jump)
        {
            items.Add(new("volume-change", RemediationCause.SuddenVolumeChange, "Smooth out the sending volume",
                "Spread large sends over several days and ramp up by at most about double per day; providers throttle and then block IPs whose volume jumps.",
                RemediationVerification.Manual, "Ticked by an operator once sending is rate-limited per day.",
                [new(string.Create(CultureInfo.InvariantCulture,
                    $"{jump.Attempts} attempts on {jump.Day:d MMM}, {jump.Attempts / Math.Max(jump.Average, 1):0.#}x the previous 7 days' average of {jump.Average:0}"),
                    Link(ActivityLink), DayStart(jump.Day))], 90));
        }

        // Rate limits.
        var rateLimited = CodesWhere(c => CodeIn(c, RateLimitCodes) || c.Known is { Temporary: true, Cause: ProviderCodeCause.RateLimit or ProviderCodeCause.ConnectionLimit });
        foreach (var reason in evidence.Reasons.Where(r => r.Reason is BounceReasons.Speeding or BounceReasons.TooManyConn).OrderByDescending(r => r.Last))
        {
            rateLimited.Add(new($"{Count(reason.Count, reason.Delay ? "delay" : "bounce")} for {reason.Reason}", Upload(reason.LatestBatchId) ?? Link(BouncesLink), reason.Last));
        }

        if (rateLimited.Count > 0)
        {
            items.Add(new("rate-limits", RemediationCause.RateLimited, "Slow down to the throttling providers",
                "Lower the MTA's concurrency and rate to the provider (for Outlook.com treat all its MX hosts as one destination: at most a few " +
                "connections and messages per connection), keep retrying deferred mail with back-off, and never push harder through 4xx replies: " +
                "ignoring them turns into a block (S3150).",
                RemediationVerification.Manual, "Ticked by an operator once the MTA's per-destination limits are lowered.", rateLimited, 100));
        }

        // New IP without history.
        var attempts = evidence.LogAttempts;
        var young = evidence.FirstActivityAt is { } first && first > evidence.Now.AddDays(-YoungIpDays);
        // Without MTA logs the volume is unknown, so only the age can say the IP has no history.
        var lowVolume = evidence.LogDays.Count > 0 && attempts < LowVolumeAttempts;
        var pushback = codes.Where(c => c.Known is { } k && (k.Temporary && k.Cause is ProviderCodeCause.Reputation or ProviderCodeCause.RateLimit or ProviderCodeCause.ConnectionLimit
            || CodeIn(c, RateLimitCodes))).ToList();
        if (evidence.FirstActivityAt is not null && (young || lowVolume) && pushback.Count > 0)
        {
            var list = new List<RemediationEvidence>
            {
                young
                    ? new($"First activity {IpVerdict.FormatTime(evidence.FirstActivityAt.Value)}, less than {YoungIpDays} days ago", Link(ActivityLink), evidence.FirstActivityAt)
                    : new($"Only {attempts} logged attempts in {EvidenceDays} days", Link(ActivityLink)),
            };
            list.AddRange(pushback.OrderByDescending(c => c.Sighting.Last).ThenBy(c => c.Sighting.Code, StringComparer.Ordinal).Select(CodeEvidence));
            items.Add(new("new-ip", RemediationCause.NewIpWithoutHistory, "Warm up the IP",
                "Follow a warm-up plan: start with a few hundred messages a day to your most engaged recipients, roughly double each day while " +
                "replies stay clean, and back off for a day whenever the provider defers (4.7.650, RP-00x). Register the IP in SNDS to watch it.",
                RemediationVerification.Manual, "Ticked by an operator once the warm-up plan is in place.", list, 110));
        }

        return items;
    }

    /// <summary>Whether a check result is a blocklist listing (a failing list check; reputation zones and warnings do not count).</summary>
    public static bool IsListing(CheckSighting check) =>
        check.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase) && check.Status == CheckStatus.Fail
        && BlocklistCatalogue.Find(check.Check[BlocklistCheck.Prefix.Length..]) is not { IsReputation: true };

    /// <summary>The windows recipient-failure rates are judged over, shortest first: a burst shows in the short ones, a slow leak in 30 days.</summary>
    public static readonly IReadOnlyList<int> RateWindowDays = [1, 3, EvidenceDays];

    public sealed record Rate(int Failures, int Attempts, int Days, bool FromLogs, DateTimeOffset? Last, string? Href)
    {
        public string Text(string what) => FromLogs
            ? string.Create(CultureInfo.InvariantCulture, $"{Failures} of {Attempts} messages in the last {(Days == 1 ? "24 hours" : $"{Days} days")} refused {what} ({(double)Failures / Attempts:P1})")
            : string.Create(CultureInfo.InvariantCulture, $"{Failures} bounces {what} in {Days} days (no MTA log to count what was sent)");
    }

    /// <summary>
    /// The first window whose recipient failures exceed <paramref name="share"/> of the messages attempted in it (log deliveries plus
    /// refusals, at least <see cref="MinimumAttempts"/>); without that many attempts, <paramref name="countWithoutLogs"/> failures in 30 days.
    /// </summary>
    public static Rate? RecipientRate(IpEvidence evidence, Func<Refusal, bool> failure, double share, int countWithoutLogs)
    {
        foreach (var days in RateWindowDays)
        {
            var from = evidence.Now.AddDays(-days);
            var finals = evidence.Refusals.Where(r => !r.Delay && r.At >= from && r.At <= evidence.Now).ToList();
            var failures = finals.Where(failure).ToList();
            if (failures.Count == 0) continue;
            var attempts = evidence.LogDeliveries.Where(h => h.Hour.AddHours(1) > from && h.Hour <= evidence.Now).Sum(h => h.Sent) + finals.Count;
            if (!evidence.HasLogs || attempts < MinimumAttempts || (double)failures.Count / attempts <= share) continue;
            var last = failures.MaxBy(r => r.At)!;
            return new Rate(failures.Count, attempts, days, true, last.At, last.BatchId is { } b ? $"/uploads/{b}" : null);
        }

        var month = evidence.Refusals.Where(r => r.At >= evidence.Now.AddDays(-EvidenceDays) && r.At <= evidence.Now && failure(r)).ToList();
        var reports = evidence.Refusals.Count(r => !r.Delay && r.At >= evidence.Now.AddDays(-EvidenceDays) && r.At <= evidence.Now);
        var enoughLogs = evidence.HasLogs && evidence.LogDeliveries.Sum(h => h.Sent) + reports >= MinimumAttempts;
        if (enoughLogs || month.Count < countWithoutLogs || (double)month.Count / reports <= share) return null;
        var newest = month.MaxBy(r => r.At)!;
        return new Rate(month.Count, reports, EvidenceDays, false, newest.At, newest.BatchId is { } id ? $"/uploads/{id}" : null);
    }

    public sealed record BlocklistRefusal(string Zone, int Count, DateTimeOffset First, DateTimeOffset Last, string? Href);

    /// <summary>
    /// Blocklists named by refusals of the last <see cref="IpStatusRules.BlockedDays"/> days, unless that list's latest check passed
    /// after the newest such refusal (the listing is over).
    /// </summary>
    public static IReadOnlyList<BlocklistRefusal> BlocklistRefusals(IpEvidence evidence) =>
        evidence.Refusals.Where(r => r.Blocklist is not null && r.At >= evidence.Now.AddDays(-IpStatusRules.BlockedDays) && r.At <= evidence.Now)
            .GroupBy(r => r.Blocklist!, StringComparer.OrdinalIgnoreCase)
            .Select(g => new BlocklistRefusal(g.Key, g.Count(), g.Min(r => r.At), g.Max(r => r.At),
                g.Where(r => r.BatchId is not null).MaxBy(r => r.At)?.BatchId is { } b ? $"/uploads/{b}" : null))
            .Where(m => !evidence.Checks.Any(c => string.Equals(c.Check, BlocklistCheck.Prefix + m.Zone, StringComparison.OrdinalIgnoreCase)
                && c.Status == CheckStatus.Pass && c.CheckedAt > m.Last))
            .OrderBy(m => m.Zone, StringComparer.Ordinal)
            .ToList();

    public sealed record LoginSpike(string User, DateTimeOffset Hour, int Succeeded, double Median);

    /// <summary>Hours in which a user logged in more than <see cref="LoginSpikeFactor"/> times their median hour and more than <see cref="LoginSpikeMinimum"/> times.</summary>
    public static IReadOnlyList<LoginSpike> LoginSpikes(IReadOnlyList<LoginHour> logins) =>
        logins.GroupBy(l => l.User, StringComparer.OrdinalIgnoreCase)
            .SelectMany(g =>
            {
                var hours = g.GroupBy(l => l.Hour).Select(h => (Hour: h.Key, Count: h.Sum(x => x.Succeeded))).Where(h => h.Count > 0).ToList();
                var median = Median(hours.Select(h => h.Count).ToList());
                return hours.Where(h => h.Count > LoginSpikeMinimum && h.Count > LoginSpikeFactor * median)
                    .Select(h => new LoginSpike(g.Key, h.Hour, h.Count, median));
            })
            .OrderByDescending(s => s.Hour).ThenBy(s => s.User, StringComparer.Ordinal)
            .ToList();

    public sealed record Jump(DateOnly Day, int Attempts, double Average);

    /// <summary>The latest day of the last 7 whose attempts exceed <see cref="VolumeJumpFactor"/> times the 7 days before it.</summary>
    public static Jump? VolumeJump(IpEvidence evidence)
    {
        var byDay = evidence.LogDays.GroupBy(d => d.Day).ToDictionary(g => g.Key, g => g.Sum(d => d.Attempts));
        var today = DateOnly.FromDateTime(evidence.Now.UtcDateTime);
        for (var day = today; day > today.AddDays(-7); day = day.AddDays(-1))
        {
            var attempts = byDay.GetValueOrDefault(day);
            if (attempts < VolumeJumpMinimumAttempts) continue;
            var average = Enumerable.Range(1, 7).Sum(i => byDay.GetValueOrDefault(day.AddDays(-i))) / 7.0;
            // Without any traffic before, it is a new IP, not a change.
            if (average > 0 && attempts > VolumeJumpFactor * average) return new Jump(day, attempts, average);
        }

        return null;
    }

    private static void AddAuthentication(List<PlannedItem> items, IpEvidence evidence, string key, RemediationCause cause, string title,
        string action, string verifiedBy, int position, List<RemediationEvidence> fromCodes, Func<string, string> link)
    {
        var names = VerifyingChecks(key);
        var list = evidence.Checks.Where(c => names.Contains(c.Check, StringComparer.OrdinalIgnoreCase) && c.Status == CheckStatus.Fail)
            .OrderBy(c => c.Check, StringComparer.Ordinal).ThenBy(c => c.Target, StringComparer.Ordinal)
            .Select(c => new RemediationEvidence($"{c.Check} {c.Target}: {c.Summary}", link(ChecksLink), c.CheckedAt)).ToList();
        list.AddRange(fromCodes);
        if (list.Count > 0)
        {
            items.Add(new(key, cause, title, action, RemediationVerification.Check, verifiedBy, list, position));
        }
    }

    private static double Median(List<int> values)
    {
        if (values.Count == 0) return 0;
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
    }

    private static DateTimeOffset DayStart(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>"36 logged replies", "2 bounces" or "37 refusals (36 in MTA logs)".</summary>
    private static string SeenAs(CodeSighting s) =>
        s.InLogs == s.Count ? Count(s.Count, "logged reply", "logged replies")
        : s.InLogs == 0 ? Count(s.Count, "bounce")
        : $"{Count(s.Count, "refusal")} ({s.InLogs} in MTA logs)";

    private static string Count(int n, string noun, string? plural = null) => n == 1 ? $"1 {noun}" : $"{n} {plural ?? noun + "s"}";
}
