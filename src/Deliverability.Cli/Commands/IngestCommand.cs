using System.CommandLine;
using System.Globalization;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Ips;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

/// <summary>`deliverability ingest PATH... [--ip ADDRESS]`: the same as an upload, straight into the database.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories (read recursively): messages, mbox, zip, gz, MTA logs, SNDS exports.", Arity = ArgumentArity.OneOrMore };
        var ip = new Option<string?>("--ip") { Description = "Sending IP for bounces that name none and match no attribution rule." };
        var command = new Command("ingest", "Store and parse bounces, complaint reports, MTA logs and SNDS exports.") { paths, ip };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<DeliverabilityDbContext>();

            var ingest = services.GetRequiredService<Ingest>();
            var defaultIp = await ingest.ChooseDefaultIpAsync(parse.GetValue(ip), ct);
            if (defaultIp.Error is not null && parse.GetValue(ip) is { } typed && SendingIpAddress.TryParse(typed, out _, out _))
            {
                // An address that is not tracked yet: on the command line, naming it is asking to track it.
                var tracked = await services.GetRequiredService<SendingIpTracking>().TrackAsync(typed, null, ct);
                if (tracked.Id is null)
                {
                    await Console.Error.WriteLineAsync(tracked.Error);
                    return 2;
                }

                Console.WriteLine($"Now tracking {tracked.Address}.");
                defaultIp = new DefaultIpChoice(tracked.Id, null);
            }

            if (defaultIp.Error is { } ipError)
            {
                await Console.Error.WriteLineAsync(ipError);
                return 2;
            }

            var files = new List<(string Display, string Full)>();
            foreach (var path in parse.GetRequiredValue(paths))
            {
                if (Directory.Exists(path))
                {
                    files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                        .Select(f => (Path.Combine(path, Path.GetRelativePath(path, f)), f)));
                }
                else if (File.Exists(path))
                {
                    files.Add((path, path));
                }
                else
                {
                    await Console.Error.WriteLineAsync($"{path}: no such file or directory");
                    return 2;
                }
            }

            long batchId;
            await using (var upload = await ingest.OpenAsync($"cli:{Environment.UserName}", IngestSource.Cli, defaultIp.SendingIpId, ct))
            {
                foreach (var (display, full) in files)
                {
                    await upload.AddAsync(display, new FileInfo(full).Length, () => File.OpenRead(full), ct);
                }

                await upload.SubmitAndReadAsync(ct);
                batchId = upload.BatchId;
            }

            var batch = await db.IngestBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, ct);
            var culture = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(culture, $"Batch {batch.Id}: {batch.FileCount} file(s), {batch.MessageCount} message(s): {batch.ParsedCount} parsed, {batch.DuplicateCount} duplicate(s), {batch.NotBounceCount} not bounce(s), {batch.ErrorCount} error(s); {batch.BounceCount} bounce row(s), {batch.ComplaintCount} complaint(s), {batch.LogEntryCount} log entries, {batch.SndsRowCount} SNDS row(s), {batch.ReportCount} DMARC/TLS report(s)."));
            var problems = await db.IngestErrors.AsNoTracking().Where(e => e.BatchId == batchId).OrderBy(e => e.FileId).ThenBy(e => e.MessageIndex).Select(e => e.Message).Take(50).ToListAsync(ct);
            var failedFiles = await db.IngestFiles.AsNoTracking().Where(f => f.BatchId == batchId && f.Error != null).Select(f => f.Name + ": " + f.Error).ToListAsync(ct);
            foreach (var line in failedFiles.Concat(problems))
            {
                Console.WriteLine("  " + line);
            }

            return batch.ErrorCount == 0 ? 0 : 1;
        });
        return command;
    }
}
