namespace Deliverability.Core.Delisting;

/// <summary>A time by which the provider should have answered or acted, and whether it did.</summary>
public sealed record DelistingDeadline(string Name, DateTimeOffset DueAt, DateTimeOffset? MetAt)
{
    public bool IsOverdue(DateTimeOffset now) => MetAt is null && now > DueAt;

    /// <summary>The due times of a case, in the order they come; empty before the submission or without published timings.</summary>
    public static IReadOnlyList<DelistingDeadline> Of(DelistingCase delistingCase)
    {
        var list = new List<DelistingDeadline>(3);
        if (delistingCase.FirstReplyDueAt is { } reply)
        {
            list.Add(new("First reply", reply, delistingCase.FirstReplyAt ?? delistingCase.DecisionAt));
        }

        if (delistingCase.DecisionDueAt is { } decision)
        {
            list.Add(new("Decision", decision, delistingCase.DecisionAt));
        }

        if (delistingCase.UnblockDueAt is { } unblock)
        {
            list.Add(new("Unblock", unblock, delistingCase.Outcome is not null ? delistingCase.ResolvedAt : null));
        }

        return list;
    }

    /// <summary>The earliest unmet due time of an unresolved case, or null.</summary>
    public static DelistingDeadline? Next(DelistingCase delistingCase) =>
        delistingCase.State == DelistingCaseState.Resolved ? null
        : Of(delistingCase).Where(d => d.MetAt is null).OrderBy(d => d.DueAt).FirstOrDefault();

    /// <summary>"due in 3 h", "due in 2 d", "overdue by 5 h".</summary>
    public static string Describe(DateTimeOffset dueAt, DateTimeOffset now)
    {
        var left = dueAt - now;
        var span = left.Duration();
        var amount = span.TotalHours < 1 ? $"{Math.Max(1, (int)span.TotalMinutes)} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalDays} d";
        return left < TimeSpan.Zero ? $"overdue by {amount}" : $"due in {amount}";
    }
}
