using System.Net;
using Deliverability.Core.Checks;
using Deliverability.Core.Checks.ReverseDns;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Checks;

public class ReverseDnsCheckTests
{
    [Theory]
    [InlineData("203-0-113-5.dsl.isp.example", "203.0.113.5")]
    [InlineData("5.113.0.203.static.isp.example", "203.0.113.5")]
    [InlineData("host203.0.113.5.isp.example", "203.0.113.5")]
    [InlineData("c-203-000-113-005.isp.example", "203.0.113.5")]
    [InlineData("cpe-203000113005.isp.example", "203.0.113.5")]
    [InlineData("ip-cb007105.isp.example", "203.0.113.5")]
    [InlineData("dynamic.pool.isp.example", "203.0.113.5")]
    [InlineData("dhcp-12.isp.example", "203.0.113.5")]
    [InlineData("ppp123.isp.example", "203.0.113.5")]
    [InlineData("customer.cable.isp.example", "203.0.113.5")]
    [InlineData("client-7.broadband.isp.example", "203.0.113.5")]
    public void LooksGeneric_WhenGenericName_ReturnsTrue(string name, string ip) =>
        Assert.True(GenericPtrDetector.LooksGeneric(name, IPAddress.Parse(ip)), name);

    [Theory]
    [InlineData("mail.example.com", "203.0.113.5")]
    [InlineData("mx1.cable.example", "203.0.113.5")]
    [InlineData("smtp-out.example.com", "203.0.113.5")]
    [InlineData("o5.mail.example.com", "203.0.113.5")]
    [InlineData("mail6.example.com", "2001:db8::10")]
    public void LooksGeneric_WhenDeliberateName_ReturnsFalse(string name, string ip) =>
        Assert.False(GenericPtrDetector.LooksGeneric(name, IPAddress.Parse(ip)), string.Join("; ", GenericPtrDetector.Reasons(name, IPAddress.Parse(ip))));

    [Fact]
    public async Task RunAsync_WhenPtrLookupFails_PtrAndFcrdnsAreUnknown()
    {
        var dns = new FakeDnsResolver().Fail("10.2.0.192.in-addr.arpa", DnsRecordKind.Ptr);
        var results = await new ReverseDnsCheck(dns).RunAsync(IPAddress.Parse("192.0.2.10"), null, TestContext.Current.CancellationToken);
        Assert.All(results, r => Assert.Equal(CheckStatus.Unknown, r.Status));
        Assert.Equal(2, results.Count);
    }

    [Fact]
    public async Task RunAsync_WhenGenericPtr_WarnsWithDy001()
    {
        var dns = new FakeDnsResolver().Ptr("10.2.0.192.in-addr.arpa", "192-0-2-10.dyn.isp.example").A("192-0-2-10.dyn.isp.example", "192.0.2.10");
        var results = await new ReverseDnsCheck(dns).RunAsync(IPAddress.Parse("192.0.2.10"), null, TestContext.Current.CancellationToken);
        var ptr = results.Single(r => r.Check == ReverseDnsCheck.PtrName);
        Assert.Equal(CheckStatus.Warn, ptr.Status);
        Assert.Contains("DY-001", ptr.Summary, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Pass, results.Single(r => r.Check == ReverseDnsCheck.FcrdnsName).Status);
    }

    [Fact]
    public async Task RunAsync_WhenForwardLookupFails_FcrdnsUnknown()
    {
        var dns = new FakeDnsResolver().Ptr("10.2.0.192.in-addr.arpa", "mail.example.test").Fail("mail.example.test", DnsRecordKind.A);
        var results = await new ReverseDnsCheck(dns).RunAsync(IPAddress.Parse("192.0.2.10"), null, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Unknown, results.Single(r => r.Check == ReverseDnsCheck.FcrdnsName).Status);
    }

    [Fact]
    public async Task RunAsync_WhenHeloNotFullyQualified_FailsHelo()
    {
        var dns = new FakeDnsResolver();
        var results = await new ReverseDnsCheck(dns).RunAsync(IPAddress.Parse("192.0.2.10"), "localhost", TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Check == ReverseDnsCheck.HeloName).Status);
    }
}
