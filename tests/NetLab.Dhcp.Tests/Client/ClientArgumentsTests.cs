using NetLab.Dhcp.Client;

namespace NetLab.Dhcp.Tests.Client;

public class ClientArgumentsTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("10", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    public void TryParseDuration_AcceptsUnits(string text, int milliseconds)
    {
        Assert.True(ClientArguments.TryParseDuration(text, out var duration, out string? error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("ten seconds")]
    [InlineData("-5s")]
    [InlineData("1e9h")]
    public void TryParseDuration_RejectsNonsenseWithAnExample(string text)
    {
        Assert.False(ClientArguments.TryParseDuration(text, out _, out string? error));
        Assert.Contains("10s", error);
    }

    [Theory]
    [InlineData("01:02:00:00:00:00:01", new byte[] { 1, 2, 0, 0, 0, 0, 1 })]
    [InlineData("01-02-00-00-00-00-01", new byte[] { 1, 2, 0, 0, 0, 0, 1 })]
    [InlineData("0102000000000a", new byte[] { 1, 2, 0, 0, 0, 0, 10 })]
    [InlineData("1:2:a", new byte[] { 1, 2, 10 })]
    [InlineData("pc1", new byte[] { 0, (byte)'p', (byte)'c', (byte)'1' })]
    public void TryParseClientId_HexOrText(string text, byte[] expected)
    {
        Assert.True(ClientArguments.TryParseClientId(text, out byte[] id, out string? error), error);
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    public void TryParseClientId_TooShort_Fails(string text) => Assert.False(ClientArguments.TryParseClientId(text, out _, out _));

    [Theory]
    [InlineData("client1", true)]
    [InlineData("pc-1.lab.test", true)]
    [InlineData("", false)]
    [InlineData("-bad", false)]
    [InlineData("has space", false)]
    [InlineData("semi;colon", false)]
    public void IsValidHostName(string name, bool valid) => Assert.Equal(valid, ClientArguments.IsValidHostName(name));
}
