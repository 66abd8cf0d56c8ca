using System.Security.Cryptography;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.Dkim;

namespace Deliverability.Core.Tests.Checks;

public class DkimKeyRecordParserTests
{
    private static string SubjectPublicKeyInfo(int bits)
    {
        using var rsa = RSA.Create(bits);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Parse_WhenRsaSubjectPublicKeyInfo_ReturnsModulusBits(int bits)
    {
        var key = DkimKeyRecordParser.Parse($"v=DKIM1; k=rsa; p={SubjectPublicKeyInfo(bits)}");
        Assert.Null(key.Error);
        Assert.Equal(bits, key.KeyBits);
    }

    [Fact]
    public void Parse_WhenRawRsaPublicKey_ReturnsModulusBits()
    {
        using var rsa = RSA.Create(2048);
        var key = DkimKeyRecordParser.Parse($"p={Convert.ToBase64String(rsa.ExportRSAPublicKey())}");
        Assert.Equal(2048, key.KeyBits);
        Assert.Equal("rsa", key.KeyType);
    }

    [Fact]
    public void Parse_WhenKeyHasWhitespaceInside_IgnoresIt()
    {
        var p = SubjectPublicKeyInfo(1024);
        var key = DkimKeyRecordParser.Parse($"v=DKIM1; p={p[..50]} {p[50..100]}\t{p[100..]}");
        Assert.Equal(1024, key.KeyBits);
    }

    [Fact]
    public void Parse_WhenEmptyP_IsRevoked() => Assert.True(DkimKeyRecordParser.Parse("v=DKIM1; k=rsa; p=").Revoked);

    [Fact]
    public void Parse_WhenTestingFlag_IsTesting() =>
        Assert.True(DkimKeyRecordParser.Parse($"v=DKIM1; t=y:s; p={SubjectPublicKeyInfo(2048)}").Testing);

    [Fact]
    public void Parse_WhenEd25519_Returns256Bits() =>
        Assert.Equal(256, DkimKeyRecordParser.Parse($"v=DKIM1; k=ed25519; p={Convert.ToBase64String(new byte[32])}").KeyBits);

    [Theory]
    [InlineData("v=DKIM2; p=abc", "DKIM1")]
    [InlineData("k=rsa; v=DKIM1; p=abc", "first")]
    [InlineData("v=DKIM1; k=rsa", "no p=")]
    [InlineData("v=DKIM1; p=!!!", "base64")]
    [InlineData("v=DKIM1; p=bm90IGEga2V5", "not an RSA public key")]
    [InlineData("v=DKIM1; k=dsa; p=bm90IGEga2V5", "unknown key type")]
    [InlineData("v=DKIM1; k=ed25519; p=bm90IGEga2V5", "expected 32")]
    [InlineData("v=DKIM1; p=a; p=b", "twice")]
    public void Parse_WhenMalformed_ReturnsError(string record, string expected) =>
        Assert.Contains(expected, DkimKeyRecordParser.Parse(record).Error, StringComparison.Ordinal);

    [Fact]
    public async Task RunAsync_WhenKeyTxtSplitIntoStrings_JoinsThem()
    {
        // The fake resolver returns records already joined, as the DnsClient resolver does with string.Concat.
        var dns = new FakeDnsResolver().Txt("s1._domainkey.example.test", $"v=DKIM1; k=rsa; p={SubjectPublicKeyInfo(2048)}");
        var result = await new DkimCheck(dns).RunAsync("example.test", "s1", TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task RunAsync_WhenOnlySha1Allowed_Fails()
    {
        var dns = new FakeDnsResolver().Txt("s1._domainkey.example.test", $"v=DKIM1; h=sha1; p={SubjectPublicKeyInfo(2048)}");
        var result = await new DkimCheck(dns).RunAsync("example.test", "s1", TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains("RFC 8301", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenLookupFails_IsUnknown()
    {
        var dns = new FakeDnsResolver().Fail("s1._domainkey.example.test", Core.Dns.DnsRecordKind.Txt);
        Assert.Equal(CheckStatus.Unknown, (await new DkimCheck(dns).RunAsync("example.test", "s1", TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task RunAsync_WhenTwoKeyRecords_Fails()
    {
        var p = SubjectPublicKeyInfo(1024);
        var dns = new FakeDnsResolver().Txt("s1._domainkey.example.test", $"v=DKIM1; p={p}", $"v=DKIM1; p={p}");
        Assert.Equal(CheckStatus.Fail, (await new DkimCheck(dns).RunAsync("example.test", "s1", TestContext.Current.CancellationToken)).Status);
    }
}
