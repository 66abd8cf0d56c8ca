using System.Text;

namespace Deliverability.Core.Snds;

/// <summary>Splits one CSV line (RFC 4180: "quoted, fields" with "" for a quote). Unquoted fields are trimmed.</summary>
internal static class CsvFields
{
    public static bool TrySplit(string line, List<string> fields, out string? problem)
    {
        fields.Clear();
        problem = null;
        var field = new StringBuilder();
        var at = 0;
        while (true)
        {
            field.Clear();
            while (at < line.Length && line[at] is ' ' or '\t')
            {
                at++;
            }

            if (at < line.Length && line[at] == '"')
            {
                at++;
                while (true)
                {
                    if (at >= line.Length)
                    {
                        problem = "a quoted field is not closed";
                        return false;
                    }

                    if (line[at] == '"')
                    {
                        if (at + 1 < line.Length && line[at + 1] == '"')
                        {
                            field.Append('"');
                            at += 2;
                            continue;
                        }

                        at++;
                        break;
                    }

                    field.Append(line[at++]);
                }

                while (at < line.Length && line[at] is ' ' or '\t')
                {
                    at++;
                }

                if (at < line.Length && line[at] != ',')
                {
                    problem = "text after a closing quote";
                    return false;
                }

                fields.Add(field.ToString());
            }
            else
            {
                var comma = line.IndexOf(',', at);
                var end = comma < 0 ? line.Length : comma;
                fields.Add(line[at..end].Trim());
                at = end;
            }

            if (at >= line.Length)
            {
                return true;
            }

            at++; // the comma
            if (at == line.Length)
            {
                fields.Add("");
                return true;
            }
        }
    }
}
