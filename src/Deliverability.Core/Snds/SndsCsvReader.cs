using System.Net;
using Deliverability.Core.Logs;

namespace Deliverability.Core.Snds;

/// <summary>
/// Reads Outlook.com SNDS CSV exports: the data report (14 columns, one row per IP per day) and the IP Status report
/// (first IP, last IP, blocked flag, reason). Both with or without a header row (the 2026 API drops it), quoted fields,
/// CRLF or LF. A line that cannot be read is reported with its line number; the other lines are still read.
/// </summary>
public static class SndsCsvReader
{
    private const int MaxLineLength = 16 * 1024;
    private const int DataColumns = 14;
    private const int RequiredDataColumns = 8;

    /// <summary>Reads the data report.</summary>
    public static SndsDataReport Read(TextReader csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var rows = new List<SndsDataRow>();
        var errors = new List<SndsLineError>();
        var hadHeader = ReadLines(csv, errors, (lineNumber, fields, line) =>
        {
            if (TryReadDataRow(lineNumber, fields, out var row, out var problem))
            {
                rows.Add(row);
            }
            else
            {
                errors.Add(new SndsLineError(lineNumber, problem, Cut(line)));
            }
        });

        return new SndsDataReport(rows, errors, hadHeader);
    }

    /// <summary>Reads the IP Status report (blocked ranges).</summary>
    public static SndsIpStatusReport ReadIpStatus(TextReader csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var ranges = new List<SndsIpStatusRange>();
        var errors = new List<SndsLineError>();
        var hadHeader = ReadLines(csv, errors, (lineNumber, fields, line) =>
        {
            if (TryReadStatusRow(lineNumber, fields, out var range, out var problem))
            {
                ranges.Add(range);
            }
            else
            {
                errors.Add(new SndsLineError(lineNumber, problem, Cut(line)));
            }
        });

        return new SndsIpStatusReport(ranges, errors, hadHeader);
    }

    /// <summary>Feeds each non-blank line's fields to <paramref name="readRow"/>; skips a header on the first non-blank line.</summary>
    private static bool ReadLines(TextReader csv, List<SndsLineError> errors, Action<int, List<string>, string> readRow)
    {
        var lines = new BoundedLineReader(csv, MaxLineLength);
        var fields = new List<string>();
        var lineNumber = 0;
        var first = true;
        var hadHeader = false;
        while (lines.TryRead(out var line, out var tooLong, out _))
        {
            lineNumber++;
            if (line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (tooLong)
            {
                errors.Add(new SndsLineError(lineNumber, $"line longer than {MaxLineLength} characters", Cut(line)));
                first = false;
                continue;
            }

            if (!CsvFields.TrySplit(line, fields, out var problem))
            {
                errors.Add(new SndsLineError(lineNumber, problem!, Cut(line)));
                first = false;
                continue;
            }

            if (first && IsHeader(fields))
            {
                hadHeader = true;
                first = false;
                continue;
            }

            first = false;
            readRow(lineNumber, fields, line);
        }

        return hadHeader;
    }

    /// <summary>A header names its columns: the first field is not an address but reads like "IP Address" / "First IP".</summary>
    private static bool IsHeader(List<string> fields) =>
        !IPAddress.TryParse(fields[0].Trim('[', ']'), out _) && fields[0].Contains("ip", StringComparison.OrdinalIgnoreCase);

    private static bool TryReadDataRow(int lineNumber, List<string> f, out SndsDataRow row, out string problem)
    {
        row = null!;
        problem = "";
        if (f.Count < RequiredDataColumns)
        {
            problem = $"expected {DataColumns} columns, found {f.Count}";
            return false;
        }

        if (!SndsFields.TryIp(f[0], out var ip))
        {
            problem = $"'{f[0]}' is not an IP address";
            return false;
        }

        if (!SndsFields.TryTime(f[1], out var start) || !SndsFields.TryTime(f[2], out var end))
        {
            problem = $"activity period '{f[1]}' - '{f[2]}' is not a date and time";
            return false;
        }

        if (!SndsFields.TryCount(f[3], out var rcpt) || !SndsFields.TryCount(f[4], out var data) || !SndsFields.TryCount(f[5], out var recipients))
        {
            problem = $"RCPT/DATA/recipient counts '{f[3]}', '{f[4]}', '{f[5]}' are not whole numbers";
            return false;
        }

        SndsFilterResult? filter = null;
        if (f[6].Length > 0)
        {
            if (!Enum.TryParse<SndsFilterResult>(f[6], ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsAsciiDigit(f[6][0]))
            {
                problem = $"filter result '{f[6]}' is not GREEN, YELLOW or RED";
                return false;
            }

            filter = parsed;
        }

        if (!SndsFields.TryComplaintRate(f[7], out var rate, out var lessThan))
        {
            problem = $"complaint rate '{f[7]}' is not a percentage";
            return false;
        }

        var trapStartText = SndsFields.Field(f, 8);
        var trapEndText = SndsFields.Field(f, 9);
        DateTimeOffset? trapStart = null;
        DateTimeOffset? trapEnd = null;
        if (trapStartText.Length > 0 || trapEndText.Length > 0)
        {
            if (!SndsFields.TryTime(trapStartText, out var ts) || !SndsFields.TryTime(trapEndText, out var te))
            {
                problem = $"trap period '{trapStartText}' - '{trapEndText}' is not a date and time";
                return false;
            }

            (trapStart, trapEnd) = (ts, te);
        }

        var trapHitsText = SndsFields.Field(f, 10);
        long trapHits = 0;
        if (trapHitsText.Length > 0 && !SndsFields.TryCount(trapHitsText, out trapHits))
        {
            problem = $"trap hits '{trapHitsText}' is not a whole number";
            return false;
        }

        row = new SndsDataRow
        {
            LineNumber = lineNumber,
            Ip = ip,
            ActivityStart = start,
            ActivityEnd = end,
            RcptCommands = rcpt,
            DataCommands = data,
            MessageRecipients = recipients,
            FilterResult = filter,
            ComplaintRate = rate,
            ComplaintRateIsUpperBound = lessThan,
            TrapPeriodStart = trapStart,
            TrapPeriodEnd = trapEnd,
            TrapHits = trapHits,
            SampleHelo = SndsFields.NullIfBlank(SndsFields.Field(f, 11)),
            SampleMailFrom = SndsFields.NullIfBlank(SndsFields.Field(f, 12)),
            // Unquoted commas in the last column split it: put it back together.
            Comments = SndsFields.NullIfBlank(f.Count > DataColumns ? string.Join(",", f.Skip(DataColumns - 1)) : SndsFields.Field(f, 13)),
        };
        return true;
    }

    private static bool TryReadStatusRow(int lineNumber, List<string> f, out SndsIpStatusRange range, out string problem)
    {
        range = null!;
        problem = "";
        if (f.Count < 3)
        {
            problem = $"expected 4 columns (first IP, last IP, blocked, reason), found {f.Count}";
            return false;
        }

        if (!SndsFields.TryIp(f[0], out var first) || !SndsFields.TryIp(f[1], out var last))
        {
            problem = $"'{f[0]}' - '{f[1]}' is not an IP range";
            return false;
        }

        if (first.AddressFamily != last.AddressFamily || SndsIpStatusRange.Compare(first, last) > 0)
        {
            problem = $"range '{f[0]}' - '{f[1]}' ends before it starts";
            return false;
        }

        bool blocked;
        switch (f[2].ToUpperInvariant())
        {
            case "YES" or "TRUE" or "Y" or "1":
                blocked = true;
                break;
            case "NO" or "FALSE" or "N" or "0":
                blocked = false;
                break;
            default:
                problem = $"blocked flag '{f[2]}' is not Yes/No or True/False";
                return false;
        }

        range = new SndsIpStatusRange
        {
            LineNumber = lineNumber,
            FirstIp = first,
            LastIp = last,
            Blocked = blocked,
            Reason = SndsFields.NullIfBlank(string.Join(",", f.Skip(3)).Trim()),
        };
        return true;
    }

    private static string Cut(string line) => line.Length > 500 ? line[..500] : line;
}
