namespace Deliverability.Core.Remediation;

/// <summary>
/// Brings an IP's stored checklist in line with the planned items. Items are matched by key and never deleted: a cause that is
/// no longer seen leaves its item with StillEvident = false. Check-verified items tick and untick with their checks; manual items
/// keep what a person set. UpdatedAt moves only when something changed, so a second run over the same evidence changes nothing.
/// </summary>
public static class ChecklistUpdate
{
    /// <summary>Updates <paramref name="existing"/> in place and returns the items to add.</summary>
    public static IReadOnlyList<RemediationItem> Apply(long sendingIpId, IReadOnlyList<RemediationItem> existing, IReadOnlyList<PlannedItem> planned,
        IReadOnlyList<CheckSighting> checks, DateTimeOffset now)
    {
        var byKey = existing.ToDictionary(i => i.Key, StringComparer.Ordinal);
        var added = new List<RemediationItem>();
        foreach (var plan in planned)
        {
            if (!byKey.TryGetValue(plan.Key, out var item))
            {
                item = new RemediationItem
                {
                    SendingIpId = sendingIpId,
                    Key = plan.Key,
                    Title = plan.Title,
                    Action = plan.Action,
                    VerifiedBy = plan.VerifiedBy,
                    RaisedAt = now,
                    UpdatedAt = now,
                };
                added.Add(item);
                byKey[plan.Key] = item;
            }

            var changed = false;
            Set(item.Cause, plan.Cause, v => item.Cause = v, ref changed);
            Set(item.Title, plan.Title, v => item.Title = v, ref changed);
            Set(item.Action, plan.Action, v => item.Action = v, ref changed);
            Set(item.Verification, plan.Verification, v => item.Verification = v, ref changed);
            Set(item.VerifiedBy, plan.VerifiedBy, v => item.VerifiedBy = v, ref changed);
            Set(item.Position, plan.Position, v => item.Position = v, ref changed);
            Set(item.StillEvident, true, v => item.StillEvident = v, ref changed);
            if (!item.Evidence.SequenceEqual(plan.Evidence))
            {
                item.Evidence = [.. plan.Evidence];
                changed = true;
            }

            if (changed) item.UpdatedAt = now;
        }

        var plannedKeys = planned.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var item in byKey.Values)
        {
            var changed = false;
            var undecided = item.Verification == RemediationVerification.Check && RemediationRules.CheckUndecided(item.Key, checks);
            if (!plannedKeys.Contains(item.Key) && !undecided) Set(item.StillEvident, false, v => item.StillEvident = v, ref changed);
            if (item.Verification == RemediationVerification.Check)
            {
                var (passing, at) = RemediationRules.CheckVerdict(item.Key, checks);
                if (passing == true && !item.Done)
                {
                    item.Done = true;
                    item.DoneAt = at ?? now;
                    item.DoneBy = null;
                    changed = true;
                }
                else if (passing == false && item.Done)
                {
                    item.Done = false;
                    item.DoneAt = null;
                    item.DoneBy = null;
                    changed = true;
                }
            }

            if (changed) item.UpdatedAt = now;
        }

        return added;
    }

    private static void Set<T>(T current, T wanted, Action<T> set, ref bool changed)
    {
        if (EqualityComparer<T>.Default.Equals(current, wanted)) return;
        set(wanted);
        changed = true;
    }
}
