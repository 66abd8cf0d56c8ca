using Deliverability.Core.Ips;

namespace Deliverability.Core.Tests.Ips;

public class SendingIpAddressTests
{
    [Theory]
    [InlineData(" 203.0.113.5 ", "203.0.113.5")]
    [InlineData("[203.0.113.5]", "203.0.113.5")]
    [InlineData("::ffff:203.0.113.5", "203.0.113.5")]
    [InlineData("2001:DB8::25", "2001:db8::25")]
    public void TryParse_WhenAddressTypedLoosely_ReturnsTheCanonicalAddress(string typed, string expected)
    {
        Assert.True(SendingIpAddress.TryParse(typed, out var address, out _));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("", "Enter an IP address")]
    [InlineData("203.0.113.0/24", "network range")]
    [InlineData("203.0.113.777", "not an IPv4 or IPv6 address")]
    [InlineData("12345", "not an IPv4 or IPv6 address")]
    [InlineData("mail.example.com", "not an IPv4 or IPv6 address")]
    public void TryParse_WhenNotOneAddress_ExplainsWhy(string typed, string expected)
    {
        Assert.False(SendingIpAddress.TryParse(typed, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
