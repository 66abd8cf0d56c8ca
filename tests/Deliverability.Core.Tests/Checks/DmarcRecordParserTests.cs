using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Dmarc;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Checks;

public class DmarcRecordParserTests
{
    [Fact]
    public void Parse_WhenFullRecord_ReadsEveryTag()
    {
        var record = DmarcRecordParser.Parse("v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; rua=mailto:a@example.test,mailto:b@example.test!10m; ruf=mailto:f@example.test; fo=1:d; t=n; psd=n");
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.Equal("reject", record.Policy);
        Assert.Equal("quarantine", record.SubdomainPolicy);
        Assert.Equal("reject", record.NonExistentPolicy);
        Assert.True(record.StrictDkim);
        Assert.False(record.StrictSpf);
        Assert.Equal(2, record.AggregateReportUris.Count);
    }

    [Theory]
    [InlineData("v=DMARC1; p=maybe", "p=maybe")]
    [InlineData("v=DMARC1", "p= is missing")]
    [InlineData("p=none; v=DMARC1", "first")]
    [InlineData("v=DMARC1; p=none; adkim=x", "adkim")]
    [InlineData("v=DMARC1; p=none; pct=101", "pct")]
    [InlineData("v=DMARC1; p=none; pct=-1", "pct")]
    [InlineData("v=DMARC1; p=none; fo=2", "fo")]
    [InlineData("v=DMARC1; p=none; ri=soon", "ri")]
    [InlineData("v=DMARC1; p=none; rua=dmarc@example.test", "mailto")]
    [InlineData("v=DMARC1; p=none; sp=all", "sp=all")]
    [InlineData("v=DMARC1; p=none; t=maybe", "t=maybe")]
    [InlineData("v=DMARC1; p=none; psd=x", "psd")]
    public void Parse_WhenInvalid_ReportsError(string text, string expected)
    {
        var record = DmarcRecordParser.Parse(text);
        Assert.False(record.IsValid);
        Assert.Contains(record.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WhenNoPolicyButRua_TreatsAsNoneAndNotesRfc9989()
    {
        var record = DmarcRecordParser.Parse("v=DMARC1; rua=mailto:d@example.test");
        Assert.True(record.IsValid);
        Assert.Equal("none", record.Policy);
        Assert.Contains(record.Notes, n => n.Contains("RFC 9989", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WhenPctRiRf_NotesTheyAreRemoved()
    {
        var record = DmarcRecordParser.Parse("v=DMARC1; p=quarantine; pct=20; ri=3600; rf=afrf; rua=mailto:d@example.test");
        Assert.True(record.IsValid);
        Assert.Contains(record.Notes, n => n.StartsWith("pct, ri, rf: removed by RFC 9989", StringComparison.Ordinal));
        Assert.Contains(record.Notes, n => n.Contains("20%", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("v=DMARC1; p=none", true)]
    [InlineData("v=DMARC1;p=none", true)]
    [InlineData("v=DMARC1", true)]
    [InlineData("v=dmarc1; p=none", false)]
    [InlineData("v=DMARC10; p=none", false)]
    [InlineData("v=spf1 -all", false)]
    public void IsDmarcRecord_WhenText_RecognisesVersion(string text, bool expected) =>
        Assert.Equal(expected, DmarcRecordParser.IsDmarcRecord(text));

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("mail.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("shop.example.com.au.", "example.com.au")]
    [InlineData("com", "com")]
    public void OrganizationalDomain_WhenDomain_ReturnsRegisteredDomain(string domain, string expected) =>
        Assert.Equal(expected, OrganizationalDomain.Of(domain));

    [Fact]
    public async Task RunAsync_WhenSubdomainHasNoRecord_UsesOrganizationalDomainSp()
    {
        var dns = new FakeDnsResolver().Txt("_dmarc.example.test", "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.test");
        var result = await new DmarcCheck(dns).RunAsync("news.example.test", false, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Warn, result.Status);
        Assert.Contains("inherited from example.test", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenPNoneAndBlocked_SaysUrgent()
    {
        var dns = new FakeDnsResolver().Txt("_dmarc.example.test", "v=DMARC1; p=none; rua=mailto:d@example.test");
        var result = await new DmarcCheck(dns).RunAsync("example.test", true, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Warn, result.Status);
        Assert.Contains("Urgent", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTwoRecords_Fails()
    {
        var dns = new FakeDnsResolver().Txt("_dmarc.example.test", "v=DMARC1; p=none", "v=DMARC1; p=reject");
        Assert.Equal(CheckStatus.Fail, (await new DmarcCheck(dns).RunAsync("example.test", false, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task RunAsync_WhenLookupFails_IsUnknown()
    {
        var dns = new FakeDnsResolver().Fail("_dmarc.example.test", DnsRecordKind.Txt);
        Assert.Equal(CheckStatus.Unknown, (await new DmarcCheck(dns).RunAsync("example.test", false, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task RunAsync_WhenNoRecordAnywhere_FailsMentioning5_7_515()
    {
        var result = await new DmarcCheck(new FakeDnsResolver()).RunAsync("example.test", false, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains("5.7.515", result.Summary, StringComparison.Ordinal);
    }
}
