using System.Net;
using System.Reflection;
using NetLab.Protocols.IP;

namespace NetLab.Protocols.Tests.IP;

public class IPv6AddressTests
{
    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("2001:db8::53")]
    [InlineData("fe80::200:ff:fe00:1")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")]
    public void BytesTextAndValue_RoundTrip(string text)
    {
        byte[] wire = IPAddress.Parse(text).GetAddressBytes();
        var address = IPv6Address.Read(wire);

        Assert.Equal(IPAddress.Parse(text).ToString(), address.ToString());
        var written = new byte[IPv6Address.Length];
        address.Write(written);
        Assert.Equal(wire, written);
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(wire), address.Value);
        Assert.Equal(address, new IPv6Address(address.Value));
        Assert.Equal(address, IPv6Address.Parse(text));
    }

    [Fact]
    public void AddressesDifferingInEitherHalf_AreNotEqual()
    {
        var a = IPv6Address.Parse("2001:db8::1");
        Assert.NotEqual(a, IPv6Address.Parse("2001:db8::2"));
        Assert.NotEqual(a, IPv6Address.Parse("2001:db9::1"));
        Assert.Equal(IPv6Address.Parse("::1"), IPv6Address.Loopback);
    }

    [Fact]
    public void HoldsNoUInt128Field()
    {
        // ReadyToRun refuses to precompile any method whose signature reaches a UInt128-based layout; the sniffer's
        // decoders all take addresses, so a UInt128 field here would send them back to the JIT at start-up.
        var fields = typeof(IPv6Address).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.NotEmpty(fields);
        Assert.DoesNotContain(fields, f => f.FieldType == typeof(UInt128) || f.FieldType == typeof(Int128));
    }
}
