using System.Text.RegularExpressions;
using Deliverability.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Deliverability.Core.Tests.Data;

/// <summary>
/// The raw SQL in src (COPY and INSERT column lists, SELECT lists, <c>alias.column</c> of the FROM/JOIN tables) names only
/// tables and columns the EF model has: renaming a property fails here, not at run time in the middle of an ingest.
/// </summary>
public partial class RawSqlColumnsTests
{
    private static readonly Dictionary<string, HashSet<string>> Tables = ReadModel();

    [Fact]
    public void EveryColumnListInRawSql_NamesColumnsOfTheEfModel()
    {
        var problems = new List<string>();
        var checkedLists = new List<string>();
        foreach (var (file, source, sql) in SqlLiterals())
        {
            var temporary = TempTable().Matches(source).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (Match m in ColumnList().Matches(sql))
            {
                var table = m.Groups[2].Value;
                if (temporary.Contains(table)) continue;
                var columns = m.Groups[3].Value;
                // "{DeliveryColumns}": the list is a constant of the same file, made of one or more literals.
                if (Placeholder().Match(columns) is { Success: true } placeholder)
                {
                    var constant = Regex.Match(source, $@"\b{placeholder.Groups[1].Value}\s*=\s*([^;]*);");
                    if (!constant.Success)
                    {
                        problems.Add($"{file}: the column list {columns} of {table} is not a constant of the file");
                        continue;
                    }

                    columns = string.Concat(PlainLiteral().Matches(constant.Groups[1].Value).Select(l => l.Groups[1].Value));
                }

                Check(file, table, columns.Split(',').Select(c => c.Trim().Replace("\\\"", "").Trim('"')), problems);
                checkedLists.Add($"{m.Groups[1].Value.ToUpperInvariant()} {table}");
            }

            foreach (Match m in SelectList().Matches(sql))
            {
                var table = m.Groups[2].Value;
                if (temporary.Contains(table) || !Tables.ContainsKey(table)) continue;
                var columns = m.Groups[1].Value.Split(',').Select(c => c.Trim()).Where(c => PlainName().IsMatch(c));
                Check(file, table, columns, problems);
                checkedLists.Add($"SELECT FROM {table}");
            }

            foreach (Match from in Alias().Matches(sql))
            {
                var (table, alias) = (from.Groups[1].Value, from.Groups[2].Value);
                if (!Tables.ContainsKey(table) || Keywords.Contains(alias)) continue;
                var used = Regex.Matches(sql, $@"\b{Regex.Escape(alias)}\.([a-z_][a-z0-9_]*)\b").Select(u => u.Groups[1].Value).Distinct();
                Check(file, table, used, problems);
                checkedLists.Add($"{alias}.* of {table}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The statements this test exists for: a change that hides them from it must change the test too.
        Assert.Contains("COPY bounces", checkedLists);
        Assert.Contains("COPY complaints", checkedLists);
        Assert.Contains("COPY ingest_errors", checkedLists);
        Assert.Contains("INSERT ip_bounce_hours", checkedLists);
        Assert.Contains("INSERT raw_messages", checkedLists);
        Assert.Contains("SELECT FROM raw_messages", checkedLists);
        Assert.Contains("b.* of bounces", checkedLists);
        Assert.Contains("INSERT mta_log_deliveries", checkedLists);
        Assert.Contains("INSERT mta_log_logins", checkedLists);
    }

    [Fact]
    public void AColumnTheModelDoesNotHave_IsReported()
    {
        var problems = new List<string>();
        Check("example.cs", "bounces", ["recipient", "recipient_adress"], problems);
        Assert.Equal(["example.cs: bounces has no column recipient_adress"], problems);
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "where", "on", "join", "left", "inner", "group", "order", "limit", "using", "set", "as", "cross", "natural", "for",
    };

    private static void Check(string file, string table, IEnumerable<string> columns, List<string> problems)
    {
        if (!Tables.TryGetValue(table, out var known))
        {
            problems.Add($"{file}: no table {table} in the EF model");
            return;
        }

        problems.AddRange(columns.Where(c => c.Length > 0 && !known.Contains(c)).Select(c => $"{file}: {table} has no column {c}"));
    }

    private static Dictionary<string, HashSet<string>> ReadModel()
    {
        var options = new DbContextOptionsBuilder<DeliverabilityDbContext>();
        DependencyInjection.ConfigureNpgsql(options, "Host=unused");
        using var db = new DeliverabilityDbContext(options.Options);
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } name) continue;
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            if (!tables.TryGetValue(name, out var columns)) tables[name] = columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName(store) is { } column) columns.Add(column);
            }
        }

        return tables;
    }

    /// <summary>Every string literal of the product's C# that reads like SQL, with its file.</summary>
    private static IEnumerable<(string File, string Source, string Sql)> SqlLiterals()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        foreach (var path in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, path);
            if (relative.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}") || relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            var source = File.ReadAllText(path);
            var text = source;
            var literals = RawLiteral().Matches(text).Select(m => m.Groups[1].Value).ToList();
            text = RawLiteral().Replace(text, "");
            literals.AddRange(PlainLiteral().Matches(text).Select(m => m.Groups[1].Value));
            foreach (var literal in literals.Where(l => SqlStart().IsMatch(l)))
            {
                yield return (relative, source, literal);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Deliverability.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("No Deliverability.sln above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("\"\"\"(.*?)\"\"\"", RegexOptions.Singleline)]
    private static partial Regex RawLiteral();

    [GeneratedRegex(@"""((?:[^""\\\n]|\\.)*)""")]
    private static partial Regex PlainLiteral();

    [GeneratedRegex(@"^\s*(SELECT|INSERT|COPY|UPDATE|DELETE|WITH|CREATE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SqlStart();

    [GeneratedRegex(@"\b(COPY|INSERT)\s+(?:INTO\s+)?([a-z_][a-z0-9_]*)\s*\(([^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex ColumnList();

    [GeneratedRegex(@"\bSELECT\s+(?:DISTINCT\s+)?([a-z_][a-z0-9_, ]*?)\s+FROM\s+([a-z_][a-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex SelectList();

    [GeneratedRegex(@"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)\s+(?:AS\s+)?([a-z_][a-z0-9_]*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Alias();

    [GeneratedRegex(@"CREATE\s+TEMP(?:ORARY)?\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex TempTable();

    [GeneratedRegex(@"^\s*\{(\w+)\}\s*$")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[a-z_][a-z0-9_]*$", RegexOptions.IgnoreCase)]
    private static partial Regex PlainName();
}
