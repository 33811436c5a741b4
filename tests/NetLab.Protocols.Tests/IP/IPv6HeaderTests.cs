using NetLab.Protocols.IP;
using NetLab.Protocols.Tests.Frames;

namespace NetLab.Protocols.Tests.IP;

public class IPv6HeaderTests
{
    // Hop-by-Hop (PadN) > Routing (type 4, no segments) > Fragment (M=1, id 0x12345678) > Destination Options (PadN)
    // > Authentication Header (Payload Len 4: 24 bytes) > UDP 1234 > 53 with "hi".
    internal const string ExtensionChain = """
        2b00 0104 0000 0000
        2c00 0400 0000 0000
        3c00 0001 1234 5678
        3300 0104 0000 0000
        1104 0000 0000 1000 0000 0001 0000 0000 0000 0000 0000 0000
        04d2 0035 000a 0000 6869
        """;
    private const int ChainUpperLayerOffset = 40 + 56;

    internal static byte[] BuildPacket(IpProtocol nextHeader, string payloadHex, ushort? payloadLength = null)
    {
        byte[] payload = SampleFrames.Hex(payloadHex);
        var header = new IPv6Header
        {
            TrafficClass = 0xB8,
            FlowLabel = 0x12345,
            PayloadLength = payloadLength ?? (ushort)payload.Length,
            NextHeader = nextHeader,
            HopLimit = 64,
            Source = IPv6Address.Parse("2001:db8::1"),
            Destination = IPv6Address.Parse("2001:db8::53"),
        };
        var packet = new byte[40 + payload.Length];
        Assert.True(header.TryWrite(packet, out _));
        payload.CopyTo(packet, 40);
        return packet;
    }

    [Fact]
    public void TryRead_CapturedIcmpV6Echo_ReadsEveryField()
    {
        Assert.True(IPv6Header.TryRead(SampleFrames.IcmpV6EchoRequest.AsSpan(14), out var ip, out int bytesRead));

        Assert.Equal(40, bytesRead);
        Assert.Equal(6, ip.Version);
        Assert.Equal(0, ip.TrafficClass);
        Assert.Equal(0x30BAFu, ip.FlowLabel);
        Assert.Equal(17, ip.PayloadLength);
        Assert.Equal(IpProtocol.IPv6Icmp, ip.NextHeader);
        Assert.Equal(64, ip.HopLimit);
        Assert.Equal(IPv6Address.Loopback, ip.Source);
        Assert.Equal(IPv6Address.Loopback, ip.Destination);
        Assert.Equal("::1", ip.Source.ToString());
    }

    [Theory]
    [InlineData(0, 0u, IpProtocol.Udp, 0)]
    [InlineData(0xFF, 0xFFFFFu, IpProtocol.Tcp, 255)]
    [InlineData(0x2E, 0x00001u, IpProtocol.NoNextHeader, 1)]
    public void TryWrite_ThenTryRead_RoundTrips(byte trafficClass, uint flowLabel, IpProtocol nextHeader, byte hopLimit)
    {
        var header = new IPv6Header
        {
            TrafficClass = trafficClass,
            FlowLabel = flowLabel,
            PayloadLength = 1280,
            NextHeader = nextHeader,
            HopLimit = hopLimit,
            Source = IPv6Address.Parse("fe80::200:ff:fe00:1"),
            Destination = IPv6Address.Parse("ff02::1:2"),
        };
        var buffer = new byte[40];

        Assert.True(header.TryWrite(buffer, out int written));
        Assert.True(IPv6Header.TryRead(buffer, out var read, out _));

        Assert.Equal(40, written);
        Assert.Equal(trafficClass, read.TrafficClass);
        Assert.Equal(flowLabel, read.FlowLabel);
        Assert.Equal(1280, read.PayloadLength);
        Assert.Equal(nextHeader, read.NextHeader);
        Assert.Equal(hopLimit, read.HopLimit);
        Assert.Equal(header.Source, read.Source);
        Assert.Equal(header.Destination, read.Destination);
        Assert.Equal("ff02::1:2", read.Destination.ToString());
    }

    [Fact]
    public void TryRead_Version4_Fails()
    {
        Assert.False(IPv6Header.TryRead(SampleFrames.TcpSyn.AsSpan(14), out _, out int bytesRead));
        Assert.Equal(0, bytesRead);
    }

    [Fact]
    public void TryRead_TruncatedHeader_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(SampleFrames.IcmpV6EchoRequest[14..], 40, static s => IPv6Header.TryRead(s, out _, out _));

    [Fact]
    public void TryWrite_FlowLabelOver20Bits_Fails() =>
        Assert.False(new IPv6Header { FlowLabel = 0x100000 }.TryWrite(new byte[40], out _));

    [Fact]
    public void TryFindUpperLayer_NoExtensionHeaders_PointsPastFixedHeader()
    {
        Assert.True(IPv6Header.TryFindUpperLayer(SampleFrames.IcmpV6EchoRequest.AsSpan(14), out var upper));

        Assert.Equal(new IPv6UpperLayer(IpProtocol.IPv6Icmp, 40, 0, false, false, 0, 0), upper);
        Assert.True(upper.HasUpperLayerHeader);
    }

    [Fact]
    public void TryFindUpperLayer_FiveExtensionHeaders_FindsUdp()
    {
        byte[] packet = BuildPacket(IpProtocol.HopByHopOptions, ExtensionChain);

        Assert.True(IPv6Header.TryFindUpperLayer(packet, out var upper));

        Assert.Equal(IpProtocol.Udp, upper.Protocol);
        Assert.Equal(ChainUpperLayerOffset, upper.Offset);
        Assert.Equal(5, upper.ExtensionHeaderCount);
        Assert.True(upper.IsFragment);
        Assert.True(upper.MoreFragments);
        Assert.Equal(0, upper.FragmentOffset);
        Assert.Equal(0x12345678u, upper.FragmentIdentification);
        Assert.True(upper.HasUpperLayerHeader);
        Assert.Equal(0x04D2, (packet[upper.Offset] << 8) | packet[upper.Offset + 1]);
    }

    [Fact]
    public void TryFindUpperLayer_LaterFragment_StopsAtFragmentData()
    {
        // Fragment offset 100 (800 bytes), M=0: the UDP header is in the first fragment, not here.
        byte[] packet = BuildPacket(IpProtocol.Fragment, "1100 0320 0000 0001 6869 6869 6869 6869");

        Assert.True(IPv6Header.TryFindUpperLayer(packet, out var upper));

        Assert.Equal(IpProtocol.Udp, upper.Protocol);
        Assert.Equal(48, upper.Offset);
        Assert.True(upper.IsFragment);
        Assert.False(upper.MoreFragments);
        Assert.Equal(100, upper.FragmentOffset);
        Assert.False(upper.HasUpperLayerHeader);
    }

    [Theory]
    [InlineData(IpProtocol.Esp, "0000 1000 0000 0001 ffff ffff")]
    [InlineData(IpProtocol.NoNextHeader, "")]
    public void TryFindUpperLayer_EncryptedOrNothing_StopsThere(IpProtocol nextHeader, string payloadHex)
    {
        Assert.True(IPv6Header.TryFindUpperLayer(BuildPacket(nextHeader, payloadHex), out var upper));

        Assert.Equal(nextHeader, upper.Protocol);
        Assert.Equal(40, upper.Offset);
        Assert.False(upper.HasUpperLayerHeader);
    }

    [Fact]
    public void TryFindUpperLayer_TruncatedChain_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(BuildPacket(IpProtocol.HopByHopOptions, ExtensionChain), ChainUpperLayerOffset,
            static s => IPv6Header.TryFindUpperLayer(s, out _));

    [Fact]
    public void TryFindUpperLayer_PayloadLengthEndsInsideChain_Fails()
    {
        // All bytes are captured, but Payload Length says the packet ends inside the Authentication Header.
        byte[] packet = BuildPacket(IpProtocol.HopByHopOptions, ExtensionChain, payloadLength: 40);

        Assert.False(IPv6Header.TryFindUpperLayer(packet, out _));
    }

    [Theory]
    [InlineData(IPv6Header.MaximumExtensionHeaders, true)]
    [InlineData(IPv6Header.MaximumExtensionHeaders + 1, false)]
    public void TryFindUpperLayer_LongChain_IsBounded(int destinationOptionHeaders, bool expected)
    {
        string chain = string.Concat(Enumerable.Repeat("3c00 0104 0000 0000 ", destinationOptionHeaders - 1)) + "1100 0104 0000 0000 0000 0000 0000 0000";
        byte[] packet = BuildPacket(IpProtocol.DestinationOptions, chain);

        Assert.Equal(expected, IPv6Header.TryFindUpperLayer(packet, out var upper));
        if (expected)
        {
            Assert.Equal(IpProtocol.Udp, upper.Protocol);
            Assert.Equal(40 + (8 * destinationOptionHeaders), upper.Offset);
        }
    }
}
