using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Deliverability.Core.Api;
using Deliverability.Core.Data;
using Deliverability.Core.Ingestion;
using Deliverability.Core.Remediation;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Reports;

/// <summary>DMARC aggregate and TLS reports through the real ingest path (upload store, ingest job, PostgreSQL), and what the API then says.</summary>
public class ReportIngestTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeliverabilityDbContext Db() => app.Factory.Database.CreateDbContext();

    /// <summary>A fixture report moved to yesterday (so it is inside the evidence window whenever the test runs), with its own report id.</summary>
    internal static byte[] Report(string name, string reportId)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Reports", name));
        var begin = DateTimeOffset.UtcNow.Date.AddDays(-1);
        var epoch = new DateTimeOffset(begin, TimeSpan.Zero).ToUnixTimeSeconds();
        text = text.Replace("1796083200", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("1796169599", (epoch + 86399).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("1796169600", (epoch + 86400).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        text = System.Text.RegularExpressions.Regex.Replace(text, "<report_id>[^<]*</report_id>", $"<report_id>{reportId}</report_id>");
        return Encoding.UTF8.GetBytes(text);
    }

    internal static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        return buffer.ToArray();
    }

    /// <summary>A receiver's report mail: a text part and the zipped report, base64 encoded.</summary>
    internal static byte[] ReportMail(string attachmentName, byte[] attachment)
    {
        var base64 = Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks);
        return Encoding.ASCII.GetBytes(string.Join("\r\n",
            "From: noreply-dmarc-support@google.com", "To: dmarc@example.com", "Subject: Report domain: example.com Submitter: google.com",
            "Date: Tue, 01 Dec 2026 00:10:00 +0000", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b1\"", "",
            "--b1", "Content-Type: text/plain; charset=\"UTF-8\"", "", "This is an aggregate report from google.com.",
            "--b1", $"Content-Type: application/zip; name=\"{attachmentName}\"", $"Content-Disposition: attachment; filename=\"{attachmentName}\"",
            "Content-Transfer-Encoding: base64", "", base64, "--b1--", ""));
    }

    private async Task<long> IngestAsync(params (string Name, byte[] Content)[] files)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<IngestUploads>();
        var batchId = await uploads.CreateBatchAsync("tests", IngestSource.Cli, null, Ct);
        foreach (var (name, content) in files)
        {
            await uploads.AddFileAsync(batchId, name, new MemoryStream(content), Ct);
        }

        await uploads.MarkSubmittedAsync(batchId, Ct);
        await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        return batchId;
    }

    private async Task<long> TrackAsync(string address)
    {
        await using var db = Db();
        var existing = await db.SendingIps.SingleOrDefaultAsync(x => x.Address == IPAddress.Parse(address), Ct);
        return existing?.Id ?? await db.AddSendingIpAsync(address, ct: Ct);
    }

    [Fact]
    public async Task ZippedReport_UploadedTwice_IsStoredOnceWithItsRecordsAttachedToTheTrackedIp()
    {
        var ipId = await TrackAsync("192.0.2.10");
        var id = $"zip-{Guid.NewGuid():N}";
        var zip = Zip(("outlook.com!example.com.xml", Report("outlook-style.xml", id)));

        var first = await IngestAsync(("outlook.com!example.com.zip", zip));
        var second = await IngestAsync(("again.zip", Zip(("again.xml", Report("outlook-style.xml", id)))));

        await using var db = Db();
        var report = await db.DmarcReports.SingleAsync(r => r.ReportId == id, Ct);
        Assert.Equal(("Outlook.com", 2, 100L), (report.OrgName, report.RecordCount, report.MessageCount));
        var records = await db.DmarcRecords.Where(r => r.DmarcReportId == report.Id).OrderBy(r => r.Ordinal).ToListAsync(Ct);
        Assert.All(records, r => Assert.Equal(ipId, r.SendingIpId));
        Assert.Equal([true, true], records.Select(r => r.DmarcPass));
        Assert.Equal(["pass", "fail"], records.Select(r => r.Dkim));
        Assert.Equal(2, await db.DmarcDkimResults.CountAsync(d => d.DmarcReportId == report.Id && d.Selector == "s1", Ct));
        var file = await db.IngestFiles.SingleAsync(f => f.BatchId == first, Ct);
        Assert.Equal((IngestFileKind.DmarcReport, IngestStatus.Completed), (file.Kind, file.Status));
        var batches = await db.IngestBatches.Where(b => b.Id == first || b.Id == second).OrderBy(b => b.Id).ToListAsync(Ct);
        Assert.Equal([(1, 0), (0, 1)], batches.Select(b => (b.ReportCount, b.DuplicateCount)));
    }

    [Fact]
    public async Task DeletedReport_TakesItsRecordsAndResultsWithIt()
    {
        // Records and results have no foreign keys (bulk COPY speed): the statement trigger deletes them with their report, as a
        // file's re-import does.
        var id = $"delete-{Guid.NewGuid():N}";
        await IngestAsync(("delete.xml", Report("outlook-style.xml", id)));
        await using var db = Db();
        var reportId = (await db.DmarcReports.SingleAsync(r => r.ReportId == id, Ct)).Id;
        Assert.Equal(2, await db.DmarcRecords.CountAsync(r => r.DmarcReportId == reportId, Ct));
        Assert.True(await db.DmarcDkimResults.AnyAsync(d => d.DmarcReportId == reportId, Ct));

        await db.DmarcReports.Where(r => r.Id == reportId).ExecuteDeleteAsync(Ct);

        Assert.Equal(0, await db.DmarcRecords.CountAsync(r => r.DmarcReportId == reportId, Ct));
        Assert.Equal(0, await db.DmarcDkimResults.CountAsync(d => d.DmarcReportId == reportId, Ct));
        Assert.Equal(0, await db.DmarcSpfResults.CountAsync(x => x.DmarcReportId == reportId, Ct));
    }

    [Fact]
    public async Task ReportMail_PostedToTheApi_StoresTheAttachedReportAndTheApiSummarisesTheIp()
    {
        var ipId = await TrackAsync("192.0.2.10");
        var id = $"mail-{Guid.NewGuid():N}";
        var mail = ReportMail("google.com!example.com.zip", Zip(("google.com!example.com.xml", Report("google-style.xml", id))));
        var created = await app.Factory.Services.GetRequiredService<ApiKeys>().CreateAsync("dmarc mailbox", "admin@example.com", Ct);
        using var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        var body = new ByteArrayContent(mail);
        body.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");

        using var response = await client.PostAsync(new Uri("/api/v1/messages", UriKind.Relative), body, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batchId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("batchId").GetInt64();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IngestBatchJob>().RunAsync(batchId, Ct);
        }

        var batch = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/batches/{batchId}", UriKind.Relative), Ct);
        Assert.Equal(1, batch.GetProperty("reports").GetInt32());
        await using (var db = Db())
        {
            var report = await db.DmarcReports.SingleAsync(r => r.ReportId == id, Ct);
            Assert.Equal(("google.com", 150L), (report.OrgName, report.MessageCount));
        }

        var summary = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/ips/{ipId}/dmarc", UriKind.Relative), Ct);
        var google = summary.GetProperty("reporters").EnumerateArray().Single(r => r.GetProperty("reporter").GetString() == "google.com");
        Assert.True(google.GetProperty("messages").GetInt64() >= 150);
        var list = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/reports", UriKind.Relative), Ct);
        Assert.Contains(list.GetProperty("dmarc").EnumerateArray(), r => r.GetProperty("reportId").GetString() == id);
        using var anonymous = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var refused = await anonymous.GetAsync(new Uri("/api/v1/reports", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task BrokenReport_FailsWithItsReasonAndCostsNothingElse()
    {
        var good = $"good-{Guid.NewGuid():N}";
        var broken = Gzip(Report("broken-truncated.xml", $"broken-{Guid.NewGuid():N}"));

        var batchId = await IngestAsync(("broken.xml.gz", broken), ("yahoo.xml", Report("yahoo-style.xml", good)),
            ("mixed.zip", Zip(("ok.xml", Report("mailru-style.xml", $"mixed-{good}")), ("bad.xml", "<feedback><report_metadata>"u8.ToArray()))));

        await using var db = Db();
        var files = await db.IngestFiles.Where(f => f.BatchId == batchId).OrderBy(f => f.Position).ToListAsync(Ct);
        Assert.Equal(IngestStatus.Failed, files[0].Status);
        Assert.Contains("broken.xml is not a readable DMARC report: its XML is broken at line", files[0].Error, StringComparison.Ordinal);
        Assert.False(await db.DmarcReports.AnyAsync(r => r.ReportId.StartsWith("broken-"), Ct));
        Assert.Equal(IngestStatus.Completed, files[1].Status);
        Assert.True(await db.DmarcReports.AnyAsync(r => r.ReportId == good, Ct));
        Assert.Equal(IngestStatus.Completed, files[2].Status);
        Assert.True(await db.DmarcReports.AnyAsync(r => r.ReportId == $"mixed-{good}", Ct));
        var error = await db.IngestErrors.SingleAsync(e => e.FileId == files[2].Id, Ct);
        Assert.StartsWith("mixed.zip/bad.xml is not a readable DMARC report", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GzippedTlsReport_IsStoredOnceAndItsFailureAttachedToTheTrackedMx()
    {
        var ipId = await TrackAsync("192.0.2.10");
        var json = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Reports", "tls-google-style.json")))
            .Replace("2026-12-01T00:00:00Z_example.com", $"tls-{Guid.NewGuid():N}", StringComparison.Ordinal);

        await IngestAsync(("google.com!example.com.json.gz", Gzip(Encoding.UTF8.GetBytes(json))));
        var again = await IngestAsync(("copy.json", Encoding.UTF8.GetBytes(json)));

        await using var db = Db();
        var reportId = System.Text.RegularExpressions.Regex.Match(json, "tls-[0-9a-f]{32}").Value;
        var report = await db.TlsReports.SingleAsync(r => r.ReportId == reportId, Ct);
        Assert.Equal((940L, 12L), (report.SuccessfulSessions, report.FailedSessions));
        var policy = await db.TlsReportPolicies.SingleAsync(p => p.TlsReportId == report.Id, Ct);
        var failure = await db.TlsReportFailures.SingleAsync(f => f.TlsReportPolicyId == policy.Id, Ct);
        Assert.Equal(("certificate-expired", ipId), (failure.ResultType, failure.SendingIpId!.Value));
        Assert.Equal(1, (await db.IngestBatches.SingleAsync(b => b.Id == again, Ct)).DuplicateCount);
    }

    [Fact]
    public async Task Diagnosis_AfterOutlookReportsDkimFailures_AddsTheChecklistItemWithTheStoredFigures()
    {
        var ipId = await TrackAsync("192.0.2.50");
        var xml = Encoding.UTF8.GetString(Report("outlook-style.xml", $"diag-{Guid.NewGuid():N}")).Replace("192.0.2.10", "192.0.2.50", StringComparison.Ordinal);

        await IngestAsync(("outlook.xml", Encoding.UTF8.GetBytes(xml)));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IpDiagnosisJob>().RunAsync(ipId, Ct);
        }

        await using var db = Db();
        var item = await db.RemediationItems.SingleAsync(i => i.SendingIpId == ipId && i.Key == "receiver-reports", Ct);
        var line = Assert.Single(item.Evidence);
        Assert.StartsWith("Outlook.com's reports: DKIM fails for 38% of mail from this IP for example.com (38 of 100 messages", line.Text, StringComparison.Ordinal);
        Assert.EndsWith("selector s1 of example.com failing for 38 of 100", line.Text, StringComparison.Ordinal);
    }
}
