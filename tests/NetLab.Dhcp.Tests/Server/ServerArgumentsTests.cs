using NetLab.Dhcp.Server;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Tests.Server;

public class ServerArgumentsTests
{
    [Theory]
    [InlineData("20s", 20)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("500ms", 0.5)]
    [InlineData("90", 90)]
    public void TryParseDuration_Units(string text, double seconds)
    {
        Assert.True(ServerArguments.TryParseDuration(text, out var duration, out _));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("-3s")]
    [InlineData("h")]
    public void TryParseDuration_Garbage_SaysWhatIsExpected(string text)
    {
        Assert.False(ServerArguments.TryParseDuration(text, out _, out string? error));
        Assert.Contains("e.g. 500ms, 30s", error);
    }

    [Theory]
    [InlineData("255.255.255.0", 24)]
    [InlineData("24", 24)]
    [InlineData("/16", 16)]
    public void TryParseMask_Accepted(string text, int prefix)
    {
        Assert.True(ServerArguments.TryParseMask(text, out var mask, out _));
        Assert.Equal(prefix, mask.PrefixLength);
    }

    [Theory]
    [InlineData("255.0.255.0")]
    [InlineData("255.255.255.1")]
    [InlineData("33")]
    [InlineData("mask")]
    public void TryParseMask_Rejected_InvalidSubnetMask(string text)
    {
        Assert.False(ServerArguments.TryParseMask(text, out _, out string? error));
        Assert.StartsWith("invalid subnet mask", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseReservation_BothForms()
    {
        Assert.True(ServerArguments.TryParseReservation("02:00:00:00:00:01=192.168.10.10", out var mac, out var ip, out _));
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:01"), mac);
        Assert.Equal(IPv4Address.Parse("192.168.10.10"), ip);
        Assert.True(ServerArguments.TryParseReservation("02:00:00:00:00:02,192.168.10.11", out _, out _, out _));
        Assert.False(ServerArguments.TryParseReservation("02:00:00:00:00:01", out _, out _, out string? error));
        Assert.Contains("MAC=IP", error);
    }

    [Fact]
    public void TryParseOption_TypedByFormat()
    {
        Assert.True(ServerArguments.TryParseOption("42,192.168.10.1,192.168.10.2", out var ntp, out _));
        Assert.Equal([IPv4Address.Parse("192.168.10.1"), IPv4Address.Parse("192.168.10.2")], ntp!.AsAddresses());
        Assert.True(ServerArguments.TryParseOption("66,tftp.lab.test", out var tftp, out _));
        Assert.Equal("tftp.lab.test", tftp!.AsText());
        Assert.True(ServerArguments.TryParseOption("26,1400", out var mtu, out _));
        Assert.Equal((ushort)1400, mtu!.AsUInt16());
        Assert.True(ServerArguments.TryParseOption("224,01:02:ff", out var raw, out _));
        Assert.Equal(new byte[] { 1, 2, 0xff }, raw!.Data.ToArray());
        Assert.Equal((DhcpOptionCode)224, raw.Code);
        Assert.False(ServerArguments.TryParseOption("53,1", out _, out _));
        Assert.False(ServerArguments.TryParseOption("26,big", out _, out _));
        Assert.False(ServerArguments.TryParseOption("3,not-an-ip", out _, out _));
    }
}

public class DhcpServerConfigTests
{
    private static DhcpServerConfig Valid() => new ServerTestKit().Config;

    [Fact]
    public void Valid_HasNoErrors() => Assert.Empty(Valid().Validate());

    [Fact]
    public void NonContiguousMask_InvalidSubnetMask() =>
        Assert.StartsWith("invalid subnet mask", Assert.Single((Valid() with { SubnetMask = IPv4Address.Parse("255.255.0.255") }).Validate()), StringComparison.Ordinal);

    [Fact]
    public void StartAfterEnd()
    {
        var config = Valid() with { RangeStart = IPv4Address.Parse("192.168.10.200"), RangeEnd = IPv4Address.Parse("192.168.10.100") };
        Assert.Contains(config.Validate(), e => e.Contains("is after its end", StringComparison.Ordinal));
    }

    [Fact]
    public void RangeOutsideSubnet()
    {
        var config = Valid() with { RangeEnd = IPv4Address.Parse("192.168.11.5") };
        Assert.Contains(config.Validate(), e => e.Contains("outside the subnet 192.168.10.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void RangeIncludingBroadcast()
    {
        var config = Valid() with { RangeEnd = IPv4Address.Parse("192.168.10.255") };
        Assert.Contains(config.Validate(), e => e.Contains("broadcast address", StringComparison.Ordinal));
    }

    [Fact]
    public void ReservationOutsideSubnet()
    {
        var config = Valid() with { Reservations = new Dictionary<MacAddress, IPv4Address> { [ServerTestKit.Mac(1)] = IPv4Address.Parse("10.0.0.1") } };
        Assert.Contains(config.Validate(), e => e.StartsWith("--reserve", StringComparison.Ordinal) && e.Contains("not a host address", StringComparison.Ordinal));
    }

    [Fact]
    public void LeaseTimeTooShort()
    {
        var config = Valid() with { LeaseTime = TimeSpan.FromSeconds(5) };
        Assert.Contains(config.Validate(), e => e.Contains("too short", StringComparison.Ordinal));
    }

    [Fact]
    public void RouterOutsideSubnet()
    {
        var config = Valid() with { Routers = [IPv4Address.Parse("10.0.0.1")] };
        Assert.Contains(config.Validate(), e => e.StartsWith("--router", StringComparison.Ordinal));
    }
}
