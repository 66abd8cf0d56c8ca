using System.CommandLine;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using Deliverability.Core.Reports;

namespace Deliverability.Cli.Commands;

/// <summary>
/// `deliverability dmarc parse --json PATH...`: one JSON line per record of the DMARC aggregate reports found in files or directories
/// (plain XML, .gz, .zip), without a database. The fields are a stable contract (docs/reports.md); a file that holds no readable report
/// prints one line with source and error.
/// </summary>
internal static class DmarcCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Report files or directories (read recursively).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (the only output format)." };
        var parse = new Command("parse", "Print every record of DMARC aggregate reports as JSON lines.") { paths, json };
        parse.SetAction((result, ct) =>
        {
            using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
            foreach (var file in Files(result.GetValue(paths)!))
            {
                ct.ThrowIfCancellationRequested();
                Print(output, file);
            }

            output.Flush();
            return Task.FromResult(0);
        });
        var command = new Command("dmarc", "DMARC aggregate reports.") { parse };
        return command;
    }

    private static IEnumerable<string> Files(IEnumerable<string> paths) =>
        paths.SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [p]);

    private static void Print(StreamWriter output, string source)
    {
        try
        {
            using var file = File.OpenRead(source);
            var head = new byte[4];
            var read = file.Read(head);
            file.Position = 0;
            if (read >= 4 && head.AsSpan().StartsWith("PK\u0003\u0004"u8))
            {
                using var zip = new ZipArchive(file, ZipArchiveMode.Read);
                foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
                {
                    using var stream = entry.Open();
                    PrintDocument(output, source, entry.FullName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream);
                }
            }
            else
            {
                PrintDocument(output, source, read >= 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ReportFormatException)
        {
            output.WriteLine(JsonSerializer.Serialize(new { source, error = $"{source} holds no readable DMARC aggregate report: {e.Message}" }, Json));
        }
    }

    private static void PrintDocument(StreamWriter output, string source, Stream content)
    {
        using var xml = content;
        using var reader = DmarcAggregateReader.Open(xml);
        var h = reader.Header;
        foreach (var r in reader.ReadRecords())
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                source,
                org_name = h.OrgName,
                report_id = h.ReportId,
                begin = h.Begin.ToUnixTimeSeconds(),
                end = h.End.ToUnixTimeSeconds(),
                policy_domain = h.PolicyDomain,
                source_ip = r.SourceIp.ToString(),
                count = r.Count,
                disposition = r.Disposition,
                dkim = r.Dkim,
                spf = r.Spf,
                header_from = r.HeaderFrom,
                envelope_from = r.EnvelopeFrom,
                envelope_to = r.EnvelopeTo,
                dkim_results = r.DkimResults.Select(d => new { domain = d.Domain, selector = d.Selector, result = d.Result }),
                spf_results = r.SpfResults.Select(s => new { domain = s.Domain, scope = s.Scope, result = s.Result }),
            }, Json));
        }

        foreach (var skipped in reader.Skipped)
        {
            output.WriteLine(JsonSerializer.Serialize(new { source, org_name = h.OrgName, report_id = h.ReportId, error = $"record {skipped.Position} skipped: {skipped.Problem}." }, Json));
        }
    }
}
