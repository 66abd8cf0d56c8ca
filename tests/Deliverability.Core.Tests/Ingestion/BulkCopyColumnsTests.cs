using System.Text.RegularExpressions;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Deliverability.Core.Tests.Ingestion;

/// <summary>The hand-written COPY column lists must name columns the EF model has, and every required column of it.</summary>
public partial class BulkCopyColumnsTests
{
    public static TheoryData<string, string> Copies => new()
    {
        { "bounces", ColumnsOf(ResultRowCopy.BounceCopy) },
        { "complaints", ColumnsOf(ResultRowCopy.ComplaintCopy) },
        { "mta_log_deliveries", MtaLogLineWriter.DeliveryColumns },
        { "mta_log_logins", MtaLogLineWriter.LoginColumns },
        { "dmarc_records", Deliverability.Core.Reports.DmarcRecordCopy.RecordColumns },
        { "dmarc_dkim_results", Deliverability.Core.Reports.DmarcRecordCopy.DkimColumns },
        { "dmarc_spf_results", Deliverability.Core.Reports.DmarcRecordCopy.SpfColumns },
    };

    [Theory]
    [MemberData(nameof(Copies))]
    public void CopyColumns_MatchTheModel(string table, string columns)
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);
        var entity = db.Model.GetEntityTypes().Single(e => e.GetTableName() == table);
        var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table);
        var model = entity.GetProperties().ToDictionary(p => p.GetColumnName(store)!, p => p);
        var listed = columns.Split(',').Select(c => c.Trim().Trim('"')).ToList();

        Assert.Empty(listed.Except(model.Keys));
        Assert.Equal(listed.Count, listed.Distinct().Count());
        var required = model.Where(p => !p.Value.IsNullable && p.Value.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never
            && p.Value.GetDefaultValueSql() is null && p.Value.GetDefaultValue() is null).Select(p => p.Key);
        Assert.Empty(required.Except(listed));
    }

    private static string ColumnsOf(string copy) => CopyColumns().Match(copy).Groups[1].Value;

    [GeneratedRegex(@"COPY\s+\w+\s*\(([^)]*)\)")]
    private static partial Regex CopyColumns();
}
