using System.Globalization;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.Dkim;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Checks.Spf;
using Deliverability.Core.Checks.Storage;
using Deliverability.Core.Delisting;
using Deliverability.Core.Ips;
using Deliverability.Core.Providers;
using Deliverability.Core.Remediation;

namespace Deliverability.Core.Alerts;

/// <summary>The block an IP's status row showed before a diagnosis rewrote it.</summary>
public sealed record PreviousBlock(string? BlockedBy, DateTimeOffset? BlockedSince)
{
    public static PreviousBlock Of(IpStatusSnapshot? row) => new(row?.BlockedBy, row?.BlockedSince);
}

/// <summary>
/// Which events a decided fact is: the diagnosis's block before and after, a check run's changes, a case's next deadline.
/// Pure: reads structured evidence (provider keys, codes, statuses, due times), never the prose of a verdict.
/// </summary>
public static class AlertDetection
{
    /// <summary>The checks whose pass → fail is an event.</summary>
    public static IReadOnlyList<string> AuthenticationChecks { get; } = [SpfCheck.Name, DkimCheck.Name, DmarcCheck.Name, ReverseDnsCheck.PtrName];

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// After a diagnosis: "blocked" when the row names a provider the previous row did not, "unblocked" when the previous
    /// row's provider no longer blocks the IP at all, and each provider code the IP shows (recorded once per IP and code by
    /// its key; a code the new block's alert already names is recorded as covered).
    /// </summary>
    public static IReadOnlyList<(AlertEventInput Event, AlertEventState State)> Diagnosis(
        PreviousBlock before, IpStatusSnapshot after, IpEvidence evidence, string address)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(evidence);
        var ip = after.SendingIpId;
        var events = new List<(AlertEventInput, AlertEventState)>();
        var newBlock = after is { BlockedBy: { } provider, BlockCode: { } code, BlockedSince: { } since }
            && !string.Equals(before.BlockedBy, provider, StringComparison.OrdinalIgnoreCase);
        IpStatusRules.Block? block = null;
        if (newBlock)
        {
            block = IpStatusRules.CurrentBlock(evidence, after.BlockedBy);
            events.Add((new AlertEventInput(AlertEventKind.IpBlocked,
                $"ip-blocked:{ip}:{after.BlockedBy!.ToLowerInvariant()}:{Time(after.BlockedSince!.Value)}",
                $"Blocked by {ProviderNames.Display(after.BlockedBy)}: {address}",
                IpVerdict.Blocked(after.BlockedBy, after.BlockCode!, after.BlockedSince.Value, block?.FirstCode),
                evidence.Now, ip, address), AlertEventState.New));
        }

        if (before is { BlockedBy: { } was, BlockedSince: { } wasSince } && IpStatusRules.CurrentBlock(evidence, was) is null)
        {
            var resolved = evidence.Cases.Where(c => c.Unblocked && c.ResolvedAt >= wasSince && string.Equals(c.Target, was, StringComparison.OrdinalIgnoreCase))
                .Max(c => c.ResolvedAt);
            var why = resolved is { } at
                ? $"its {ProviderNames.Display(was)} delisting case was resolved as unblocked on {IpVerdict.FormatTime(at)}."
                : $"no block evidence from {ProviderNames.Display(was)} in the last {IpStatusRules.BlockedDays} days.";
            events.Add((new AlertEventInput(AlertEventKind.IpUnblocked, $"ip-unblocked:{ip}:{was.ToLowerInvariant()}:{Time(wasSince)}",
                $"No longer blocked by {ProviderNames.Display(was)}: {address}",
                $"{address} was blocked by {ProviderNames.Display(was)} since {IpVerdict.FormatTime(wasSince)}; {why}",
                evidence.Now, ip, address), AlertEventState.New));
        }

        foreach (var seen in evidence.Codes)
        {
            var covered = block is not null && string.Equals(seen.Provider, block.Provider, StringComparison.OrdinalIgnoreCase)
                && (string.Equals(seen.Code, block.Code, StringComparison.OrdinalIgnoreCase) || string.Equals(seen.Code, block.FirstCode, StringComparison.OrdinalIgnoreCase));
            var meaning = ProviderCodeCatalog.Find(seen.Provider, seen.Code)?.Meaning;
            var times = seen.Count == 1 ? "once" : $"{seen.Count} times";
            events.Add((new AlertEventInput(AlertEventKind.NewProviderCode,
                $"provider-code:{ip}:{seen.Provider.ToLowerInvariant()}:{seen.Code.ToLowerInvariant()}",
                $"New code from {ProviderNames.Display(seen.Provider)} for {address}: {seen.Code}",
                $"{ProviderNames.Display(seen.Provider)} answered {seen.Code} for {address} {times} since {IpVerdict.FormatTime(seen.First)}"
                + (meaning is null ? " (a code the catalogue does not know)." : $": {meaning}"),
                seen.First, ip, address), covered ? AlertEventState.Covered : AlertEventState.New));
        }

        return events;
    }

    /// <summary>A stored check change as an event: listed, delisted, or an authentication check turning from pass to fail; else null.</summary>
    public static AlertEventInput? CheckChange(CheckChange change, string address)
    {
        ArgumentNullException.ThrowIfNull(change);
        var key = $"check-change:{change.RunId}:{change.Check.ToLowerInvariant()}:{change.Target.ToLowerInvariant()}";
        if (change.Check.StartsWith(BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var zone = change.Check[BlocklistCheck.Prefix.Length..];
            var list = BlocklistCatalogue.Find(zone)?.Name ?? zone;
            return Checks.Storage.CheckChange.Describe(change.Check, change.FromStatus, change.ToStatus) switch
            {
                "listed" => new AlertEventInput(AlertEventKind.BlocklistListed, key, $"Listed on {list}: {address}",
                    $"{address} is listed on {list} ({change.Target}): {change.Summary}", change.At, change.SendingIpId, address),
                "delisted" => new AlertEventInput(AlertEventKind.BlocklistDelisted, key, $"Delisted from {list}: {address}",
                    $"{address} is no longer listed on {list} ({change.Target}): {change.Summary}", change.At, change.SendingIpId, address),
                _ => null,
            };
        }

        if (change is { FromStatus: CheckStatus.Pass, ToStatus: CheckStatus.Fail }
            && AuthenticationChecks.Contains(change.Check, StringComparer.OrdinalIgnoreCase))
        {
            var check = change.Check.ToUpperInvariant();
            return new AlertEventInput(AlertEventKind.CheckFailing, key, $"{check} fails for {change.Target}: {address}",
                $"The {check} check of {change.Target} for {address} passed before and fails now: {change.Summary}", change.At, change.SendingIpId, address);
        }

        return null;
    }

    /// <summary>How long before a due time the "due" event is recorded.</summary>
    public static readonly TimeSpan DueWithin = TimeSpan.FromHours(24);

    /// <summary>An unresolved case's next deadline as an event when it is due within 24 hours or overdue; else null.</summary>
    public static AlertEventInput? Deadline(DelistingCase delistingCase, string address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delistingCase);
        if (DelistingDeadline.Next(delistingCase) is not { } next || next.DueAt - now > DueWithin)
        {
            return null;
        }

        var overdue = next.IsOverdue(now);
        var target = ProviderNames.Display(delistingCase.Target);
        var what = $"{next.Name} of the {target} delisting case for {address}";
        var due = $"{DelistingDeadline.Describe(next.DueAt, now)} (due {IpVerdict.FormatTime(next.DueAt)})";
        return new AlertEventInput(overdue ? AlertEventKind.DelistingAnswerOverdue : AlertEventKind.DelistingAnswerDue,
            $"delisting-{(overdue ? "overdue" : "due")}:{delistingCase.Id}:{next.Name.ToLowerInvariant()}:{Time(next.DueAt)}",
            overdue ? $"Overdue: {what}" : $"Due soon: {what}",
            $"{what}: {due}.", now, delistingCase.SendingIpId, address, delistingCase.Id, $"/delisting/{delistingCase.Id}");
    }
}
