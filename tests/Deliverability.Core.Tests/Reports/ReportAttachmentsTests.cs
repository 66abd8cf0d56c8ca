using System.Text;
using Deliverability.Core.Reports;

namespace Deliverability.Core.Tests.Reports;

public class ReportAttachmentsTests
{
    /// <summary>A receiver's report mail: a text part and the zipped report, base64 encoded (as Google sends it).</summary>
    internal static byte[] ReportMail(string attachmentName, byte[] attachment, string contentType = "application/zip")
    {
        var base64 = Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks);
        return Encoding.ASCII.GetBytes($"""
            From: noreply-dmarc-support@google.com
            To: dmarc@example.com
            Subject: Report domain: example.com Submitter: google.com Report-ID: 1234567890123456789
            Date: Tue, 02 Dec 2026 00:10:00 +0000
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain; charset="UTF-8"

            This is an aggregate report from google.com.
            --b1
            Content-Type: {contentType}; name="{attachmentName}"
            Content-Disposition: attachment; filename="{attachmentName}"
            Content-Transfer-Encoding: base64

            {base64}
            --b1--

            """.Replace("\n", "\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Find_WhenAMailCarriesAZippedReport_ReturnsIt()
    {
        var zip = DmarcAggregateReaderTests.Zip("google.com!example.com!1796083200!1796169599.xml", DmarcAggregateReaderTests.Fixture("google-style.xml"));
        var mail = ReportMail("google.com!example.com!1796083200!1796169599.zip", zip);

        Assert.True(ReportAttachments.MayHold(mail));
        var (name, content) = Assert.Single(ReportAttachments.Find(mail));

        Assert.Equal("google.com!example.com!1796083200!1796169599.zip", name);
        Assert.Equal(zip, content);
    }

    [Fact]
    public void Find_WhenTheAttachmentIsNotAReport_ReturnsNothing()
    {
        var mail = ReportMail("invoice.zip", DmarcAggregateReaderTests.Zip("invoice.txt", "pay me"u8.ToArray()));

        Assert.Empty(ReportAttachments.Find(mail));
    }

    [Fact]
    public void MayHold_WhenAPlainBounce_IsFalse()
    {
        var bounce = "From: MAILER-DAEMON@example.net\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--x--\r\n"u8;

        Assert.False(ReportAttachments.MayHold(bounce));
    }
}
