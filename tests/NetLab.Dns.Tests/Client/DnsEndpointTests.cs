using NetLab.Dns.Client;

namespace NetLab.Dns.Tests.Client;

public class DnsEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[::1]", "[::1]:53")]
    [InlineData("[::1]:5394", "[::1]:5394")]
    [InlineData("fd00:10::1", "[fd00:10::1]:53")]
    public void Parses(string text, string expected)
    {
        Assert.True(DnsEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("lab.test")]
    [InlineData("")]
    public void Rejects(string text) => Assert.False(DnsEndpoint.TryParse(text, out _));
}
