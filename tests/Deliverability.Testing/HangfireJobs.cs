using Microsoft.EntityFrameworkCore;

namespace Deliverability.Testing;

/// <summary>What Hangfire did with a test database's jobs (states, queue rows, servers, locks, check runs), for a failure message.</summary>
public static class HangfireJobs
{
    public static async Task<string> DescribeAsync(TestDatabase database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDbContext();
        // invocationdata and server data are jsonb; every value is read through ->> or ::text, never cast from text to json
        // (Hangfire writes some of them as JSON strings, which a cast to json refuses with 22P02).
        var jobs = await db.Database.SqlQuery<string>($"""
            SELECT j.id::text || ' ' || coalesce(j.statename, '?') || ' ' || coalesce(j.invocationdata ->> 'Type', j.invocationdata::text, '') || '.' || coalesce(j.invocationdata ->> 'Method', '')
                   || ' ' || coalesce(j.arguments::text, '') || ' ' || coalesce(j.createdat::text, '')
                   || ' [' || coalesce((SELECT string_agg(st.name || ' ' || st.createdat::text || coalesce(' ' || left(st.reason, 200), ''), ', ' ORDER BY st.id) FROM hangfire.state st WHERE st.jobid = j.id), '') || ']' AS "Value"
            FROM hangfire.job j ORDER BY j.id
            """).ToListAsync(ct);
        var queue = await db.Database.SqlQuery<string>($"""
            SELECT q.jobid::text || ' ' || q.queue || ' fetched ' || coalesce(q.fetchedat::text, 'no') AS "Value" FROM hangfire.jobqueue q ORDER BY q.id
            """).ToListAsync(ct);
        var servers = await db.Database.SqlQuery<string>($"""
            SELECT s.id || ' ' || coalesce(s.data::text, '') || ' heartbeat ' || s.lastheartbeat::text AS "Value" FROM hangfire.server s
            """).ToListAsync(ct);
        var locks = await db.Database.SqlQuery<string>($"""
            SELECT l.resource || ' since ' || l.acquired::text AS "Value" FROM hangfire.lock l ORDER BY l.resource
            """).ToListAsync(ct);
        var runs = await db.CheckRuns.AsNoTracking().OrderBy(r => r.Id)
            .Select(r => r.Id + " ip " + r.SendingIpId + " " + r.Status + " " + r.StartedAt + " " + r.FinishedAt).ToListAsync(ct);
        return string.Join("; ", jobs) + " | queue: " + string.Join("; ", queue) + " | servers: " + string.Join("; ", servers)
            + " | locks: " + string.Join("; ", locks) + " | runs: " + string.Join("; ", runs);
    }
}
