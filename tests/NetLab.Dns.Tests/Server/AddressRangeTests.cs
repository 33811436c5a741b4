using System.Net;
using NetLab.Dns.Server;

namespace NetLab.Dns.Tests.Server;

public class AddressRangeTests
{
    [Theory]
    [InlineData("192.168.10.0/24", "192.168.10.77", true)]
    [InlineData("192.168.10.0/24", "192.168.11.1", false)]
    [InlineData("127.0.0.0/8", "127.1.2.3", true)]
    [InlineData("10.0.0.0/9", "10.127.255.255", true)]
    [InlineData("10.0.0.0/9", "10.128.0.0", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    [InlineData("192.168.10.0/24", "::ffff:192.168.10.5", true)]
    [InlineData("0.0.0.0/0", "203.0.113.1", true)]
    public void Contains(string range, string address, bool expected)
    {
        Assert.True(AddressRange.TryParse(range, out var parsed));
        Assert.Equal(expected, parsed.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.168.10.0/33")]
    [InlineData("banana")]
    [InlineData("1.2.3.4/x")]
    public void Malformed_IsRejected(string text) => Assert.False(AddressRange.TryParse(text, out _));
}
