using Deliverability.Core.Data;
using Deliverability.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Alerts;

/// <summary>
/// Turns recorded events into alerts, one owner for the decision: the rule of the event's kind (the IP's own rule, else the
/// kind's, else enabled on every channel), the IP's mute, then the stacking window of the rule. The first event after a quiet
/// window goes out at once; later ones of the same rule wait until the window after the last alert closes and go out as one
/// summary. Each alert gets one delivery per channel, sent by <see cref="AlertDeliveryJob"/>. One run at a time (an advisory
/// lock), so two jobs never send the same event twice.
/// </summary>
public sealed class AlertStacking(IDbContextFactory<DeliverabilityDbContext> dbFactory, IJobScheduler jobs, TimeProvider clock)
{
    /// <summary>pg_advisory_xact_lock key of the stacking (an arbitrary constant: "alerts" in ASCII).</summary>
    private const long LockKey = 0x616c65727473;

    private readonly record struct Stack(AlertEventKind Kind, long? RuleId);

    /// <summary>Decides every new and held event; returns the alerts made.</summary>
    public async Task<IReadOnlyList<long>> ProcessAsync(CancellationToken ct)
    {
        var deliveries = new List<long>();
        var alerts = new List<long>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
            var now = clock.GetUtcNow();
            var settings = await db.AlertSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new AlertSettings();
            var window = TimeSpan.FromMinutes(Math.Max(0, settings.StackingWindowMinutes));
            var rules = await db.AlertRules.AsNoTracking().ToListAsync(ct);
            var enabledChannels = await db.AlertChannels.AsNoTracking().Where(c => c.Enabled).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
            var mutes = await db.AlertMutes.AsNoTracking().Where(m => m.Until > now).Select(m => m.SendingIpId).ToListAsync(ct);
            var events = await db.AlertEvents.Where(e => e.State == AlertEventState.New || e.State == AlertEventState.Held)
                .OrderBy(e => e.Id).ToListAsync(ct);

            var stacks = new Dictionary<Stack, (List<AlertEvent> Events, List<long> Channels)>();
            foreach (var e in events)
            {
                var rule = rules.FirstOrDefault(r => r.Kind == e.Kind && r.SendingIpId is not null && r.SendingIpId == e.SendingIpId)
                    ?? rules.FirstOrDefault(r => r.Kind == e.Kind && r.SendingIpId is null);
                var channels = rule is null || rule.ChannelIds.Count == 0 ? enabledChannels : enabledChannels.Intersect(rule.ChannelIds).ToList();
                if (rule is { Enabled: false })
                {
                    e.State = AlertEventState.Disabled;
                }
                else if (e.SendingIpId is { } ip && mutes.Contains(ip))
                {
                    e.State = AlertEventState.Muted;
                }
                else if (channels.Count == 0)
                {
                    e.State = AlertEventState.NoChannel;
                }
                else
                {
                    var stack = new Stack(e.Kind, rule?.Id);
                    if (!stacks.TryGetValue(stack, out var entry))
                    {
                        stacks[stack] = entry = ([], channels);
                    }

                    entry.Events.Add(e);
                }
            }

            var made = new List<Alert>();
            var owners = new Dictionary<AlertEvent, Alert>(ReferenceEqualityComparer.Instance);
            foreach (var (stack, (stacked, channels)) in stacks)
            {
                var last = await db.Alerts.AsNoTracking().Where(a => a.Kind == stack.Kind && a.RuleId == stack.RuleId)
                    .MaxAsync(a => (DateTimeOffset?)a.CreatedAt, ct);
                var windowOpen = window > TimeSpan.Zero && last is { } l && l + window > now;
                if (windowOpen)
                {
                    stacked.ForEach(e => e.State = AlertEventState.Held);
                }
                else if (window == TimeSpan.Zero)
                {
                    made.AddRange(stacked.Select(e => Make(stack, [e], channels)));
                }
                else if (stacked.Any(e => e.State == AlertEventState.Held))
                {
                    // The window closed on events it held: they (and any new ones) go out as one summary.
                    made.Add(Make(stack, stacked, channels));
                }
                else
                {
                    made.Add(Make(stack, [stacked[0]], channels));
                    stacked.Skip(1).ToList().ForEach(e => e.State = AlertEventState.Held);
                }
            }

            db.Alerts.AddRange(made);
            await db.SaveChangesAsync(ct);
            foreach (var (e, alert) in owners)
            {
                e.AlertId = alert.Id;
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            deliveries.AddRange(made.SelectMany(a => a.Deliveries).Select(d => d.Id));
            alerts.AddRange(made.Select(a => a.Id));

            Alert Make(Stack stack, IReadOnlyList<AlertEvent> included, IReadOnlyList<long> channelIds)
            {
                var message = AlertMessage.For(stack.Kind, included, settings.PublicBaseUrl, window);
                var alert = new Alert
                {
                    Kind = stack.Kind, RuleId = stack.RuleId, Title = message.Title, Text = message.Text, LinkPath = message.LinkPath,
                    Link = message.Link, EventCount = included.Count, IsSummary = included.Count > 1, CreatedAt = now,
                    Deliveries = channelIds.Select(c => new AlertDelivery { ChannelId = c, Status = AlertDeliveryStatus.Pending }).ToList(),
                };
                foreach (var e in included)
                {
                    e.State = AlertEventState.Alerted;
                    owners[e] = alert;
                }

                return alert;
            }
        }

        foreach (var id in deliveries)
        {
            try
            {
                await jobs.EnqueueAsync<AlertDeliveryJob>(j => j.RunAsync(id, CancellationToken.None), ct);
            }
            catch (AlertDeliveryException)
            {
                // Only where jobs run inline (the CLI): the delivery stored its error and status; one receiver's error must not
                // fail the ingest or the diagnosis that raised the event, nor keep the other channels from their alert.
            }
        }

        return alerts;
    }
}
