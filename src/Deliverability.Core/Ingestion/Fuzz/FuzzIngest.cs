using System.Text;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Ingestion.Fuzz;

/// <summary>One generated upload file: its name, bytes, how many messages were put in it and what was done to them.</summary>
public sealed record FuzzCase(string Name, byte[] Content, int Messages, string Mutations);

/// <summary>
/// What a fuzz run found. Nothing lost means every message put in is stored (parsed, not a bounce, duplicate) or reported
/// (an error naming it), or its file is listed with its error; a crash is a parser or reader exception caught by the
/// per-message or per-file guard (they are survivable, but each is a defect to fix), or the job itself throwing.
/// </summary>
public sealed record FuzzOutcome(
    long BatchId, string Status, int Cases, int MessagesIn, int Stored, int Reported, int FilesFailed, int ReadAsOtherKinds,
    int Lost, int SilentlyEmpty, int Crashes, IReadOnlyList<string> Findings)
{
    public bool Clean => Status == nameof(IngestStatus.Completed) && Lost == 0 && SilentlyEmpty == 0 && Crashes == 0;
}

/// <summary>
/// The fuzz harness: mutated copies of our own fixture messages, as single files and small mboxes, uploaded as one batch
/// and read by the real ingest job into PostgreSQL, then every file accounted for. The integration tests run a small
/// case count; `deliverability bench fuzz --cases N` runs more.
/// </summary>
public sealed class FuzzIngest(Ingest ingest, DeliverabilityDbContext db)
{
    private const string Separator = "From MAILER-DAEMON Tue Mar 10 09:15:02 2026\n";

    /// <summary>The cases for a seed: about one in five an mbox of two to five messages, the rest one message each.</summary>
    public static IEnumerable<FuzzCase> Generate(IReadOnlyList<byte[]> fixtures, int cases, int seed)
    {
        ArgumentNullException.ThrowIfNull(fixtures);
        var mutator = new MessageMutator(seed);
        for (var i = 0; i < cases; i++)
        {
            var count = mutator.Next(5) == 0 ? 2 + mutator.Next(4) : 1;
            var messages = new List<(byte[] Message, string Mutations)>(count);
            for (var j = 0; j < count; j++)
            {
                // Each copy is unique before it is damaged, so duplicates come only from damage that erases the difference.
                var original = fixtures[mutator.Next(fixtures.Count)];
                messages.Add(mutator.Mutate([.. Encoding.ASCII.GetBytes($"X-Fuzz-Case: {seed}-{i}-{j}\n"), .. original]));
            }

            yield return count == 1
                ? new FuzzCase($"case-{i:D5}.eml", messages[0].Message, 1, messages[0].Mutations)
                : new FuzzCase($"case-{i:D5}.mbox", Mbox(messages.Select(m => m.Message)), count, string.Join(" | ", messages.Select(m => m.Mutations)));
        }
    }

    /// <summary>An mbox of the messages: every line that starts with "From " quoted, each message closed by a blank line.</summary>
    private static byte[] Mbox(IEnumerable<byte[]> messages)
    {
        var mbox = new List<byte>();
        foreach (var message in messages)
        {
            mbox.AddRange(Encoding.ASCII.GetBytes(Separator));
            for (var i = 0; i < message.Length; i++)
            {
                var lineStart = i == 0 || message[i - 1] is (byte)'\n' or (byte)'\r';
                if (lineStart && message.AsSpan(i).StartsWith("From "u8))
                {
                    mbox.Add((byte)'>');
                }

                mbox.Add(message[i]);
            }

            mbox.AddRange(message.Length == 0 || message[^1] != (byte)'\n' ? "\n\n"u8.ToArray() : "\n"u8.ToArray());
        }

        return [.. mbox];
    }

    public async Task<FuzzOutcome> RunAsync(IReadOnlyList<FuzzCase> cases, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cases);
        await using var upload = await ingest.OpenAsync("fuzz", IngestSource.Cli, null, ct);
        foreach (var c in cases)
        {
            await upload.AddAsync(c.Name, new MemoryStream(c.Content), ct);
        }

        var batchId = upload.BatchId;
        var findings = new List<string>();
        var crashes = 0;
        try
        {
            await upload.SubmitAndReadAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            crashes++;
            findings.Add($"the ingest job threw: {e.GetType().Name}: {e.Message}");
        }

        return await AccountAsync(batchId, cases, findings, crashes, ct);
    }

    private async Task<FuzzOutcome> AccountAsync(long batchId, IReadOnlyList<FuzzCase> cases, List<string> findings, int crashes, CancellationToken ct)
    {
        var batch = await db.IngestBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, ct);
        var files = await db.IngestFiles.AsNoTracking().Where(f => f.BatchId == batchId).ToDictionaryAsync(f => f.Name, ct);
        var errors = await db.IngestErrors.AsNoTracking().Where(e => e.BatchId == batchId).Select(e => e.Message).ToListAsync(ct);
        int messagesIn = 0, lost = 0, silentlyEmpty = 0, filesFailed = 0, otherKinds = 0;
        foreach (var c in cases)
        {
            messagesIn += c.Messages;
            if (!files.TryGetValue(c.Name, out var file))
            {
                lost += c.Messages;
                findings.Add($"{c.Name}: not stored at all ({c.Mutations})");
                continue;
            }

            if (file.Status == IngestStatus.Failed)
            {
                filesFailed++;
                if (string.IsNullOrWhiteSpace(file.Error))
                {
                    lost += c.Messages;
                    findings.Add($"{c.Name}: failed without a reason ({c.Mutations})");
                }
                else if (file.Error.Contains("could not be read", StringComparison.Ordinal))
                {
                    crashes++;
                    findings.Add($"{c.Name}: {file.Error} ({c.Mutations})");
                }

                continue;
            }

            if (file.Kind is not (IngestFileKind.Message or IngestFileKind.Mbox))
            {
                // Damage made it look like a log or an export: it was read as one (its rows counted there), not lost.
                otherKinds++;
                silentlyEmpty += file.Status == IngestStatus.Completed && file.MessageCount == 0 && file.RepeatedEntryCount == 0 && batch.LogEntryCount + batch.SndsRowCount == 0 ? 1 : 0;
                continue;
            }

            if (file.ProcessedMessages == 0)
            {
                silentlyEmpty++;
                findings.Add($"{c.Name}: completed with no message and no error ({c.Mutations})");
            }
            else if (file.ProcessedMessages != c.Messages)
            {
                lost += Math.Max(0, c.Messages - file.ProcessedMessages);
                findings.Add($"{c.Name}: {c.Messages} messages put in, {file.ProcessedMessages} read ({c.Mutations})");
            }
        }

        var parserCrashes = errors.Count(e => e.Contains("the parser failed", StringComparison.Ordinal));
        crashes += parserCrashes;
        findings.AddRange(errors.Where(e => e.Contains("the parser failed", StringComparison.Ordinal) || e.Contains("could not be stored", StringComparison.Ordinal)).Take(20));
        var stored = batch.ParsedCount + batch.NotBounceCount + batch.DuplicateCount;
        var reported = batch.ErrorCount - filesFailed;
        if (stored + reported != batch.MessageCount)
        {
            findings.Add($"counts disagree: {batch.MessageCount} messages read, {stored} stored + {reported} reported");
            lost += Math.Abs(batch.MessageCount - stored - reported);
        }

        if (batch.Status != IngestStatus.Completed)
        {
            findings.Add($"batch {batchId} ended {batch.Status}: {batch.Failure}");
        }

        return new FuzzOutcome(batchId, batch.Status.ToString(), cases.Count, messagesIn, stored, reported, filesFailed, otherKinds, lost, silentlyEmpty, crashes, findings);
    }
}
