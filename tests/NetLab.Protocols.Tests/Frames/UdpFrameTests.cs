using NetLab.Protocols.Addressing;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Frames;

public class UdpFrameTests
{
    [Fact]
    public void TryParse_BuiltDhcpDiscover_ReturnsEveryField()
    {
        byte[] frame = BuiltFrames.DhcpLikeDiscover();

        Assert.True(UdpFrame.TryParse(frame, out var udp));

        Assert.Equal(BuiltFrames.ClientMac, udp.SourceMac);
        Assert.Equal(MacAddress.Broadcast, udp.DestinationMac);
        Assert.Equal(IPv4Address.Any, udp.SourceIp);
        Assert.Equal(IPv4Address.Broadcast, udp.DestinationIp);
        Assert.Equal(68, udp.SourcePort);
        Assert.Equal(67, udp.DestinationPort);
        Assert.Equal(42, udp.PayloadOffset);
        Assert.Equal(300, udp.PayloadLength);
        Assert.Equal(BuiltFrames.DhcpLikePayload(), udp.Payload(frame).ToArray());
        Assert.True(udp.IPv4ChecksumValid);
        Assert.True(udp.UdpChecksumValid);
        Assert.True(udp.ChecksumsValid);
    }

    [Fact]
    public void TryParse_CapturedDnsQuery_ReturnsFieldsAndValidChecksums()
    {
        Assert.True(UdpFrame.TryParse(SampleFrames.DnsQueryUdp, out var udp));

        Assert.Equal(IPv4Address.Parse("192.168.1.11"), udp.SourceIp);
        Assert.Equal(IPv4Address.Parse("209.87.249.18"), udp.DestinationIp);
        Assert.Equal(43966, udp.SourcePort);
        Assert.Equal(53, udp.DestinationPort);
        Assert.Equal(56, udp.PayloadLength);
        Assert.Equal(0x59, udp.Payload(SampleFrames.DnsQueryUdp)[0]); // DNS id 22836 = 0x5934
        Assert.True(udp.ChecksumsValid);
    }

    [Fact]
    public void TryParse_VlanTaggedFrame_SkipsTheTag()
    {
        byte[] tagged = BuiltFrames.Tagged(BuiltFrames.DhcpLikeDiscover());

        Assert.True(UdpFrame.TryParse(tagged, out var udp));

        Assert.Equal(100, udp.Ethernet.VlanId);
        Assert.Equal(46, udp.PayloadOffset);
        Assert.Equal(300, udp.PayloadLength);
        Assert.True(udp.ChecksumsValid);
    }

    [Fact]
    public void TryParse_IPv4Options_MovesThePayloadOffset()
    {
        // Router Alert (RFC 2113) makes a 24-byte IPv4 header, as IGMP-snooping-friendly senders do.
        var source = IPv4Address.Parse("192.168.10.1");
        var frame = new byte[14 + 24 + 8 + 3];
        new EthernetHeader { Destination = MacAddress.Broadcast, Source = BuiltFrames.ServerMac, EtherType = EtherType.IPv4 }.TryWrite(frame, out _);
        new IPv4Header { TotalLength = 35, Ttl = 1, Protocol = IpProtocol.Udp, Source = source, Destination = IPv4Address.Broadcast }
            .TryWrite(frame.AsSpan(14), SampleFrames.Hex("94040000"), out _);
        new UdpHeader { SourcePort = 1000, DestinationPort = 2000, TotalLength = 11 }.TryWrite(frame.AsSpan(38), out _);
        "abc"u8.CopyTo(frame.AsSpan(46));
        TransportChecksum.FillIPv4(source, IPv4Address.Broadcast, IpProtocol.Udp, frame.AsSpan(38));

        Assert.True(UdpFrame.TryParse(frame, out var udp));

        Assert.Equal(24, udp.IPv4.HeaderLength);
        Assert.Equal(46, udp.PayloadOffset);
        Assert.Equal("abc"u8.ToArray(), udp.Payload(frame).ToArray());
        Assert.True(udp.ChecksumsValid);
    }

    [Fact]
    public void TryParse_EthernetPadding_IsIgnored()
    {
        byte[] frame = FrameBuilder.BuildUdp(BuiltFrames.ClientMac, MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast, 68, 67, [0x42]);
        byte[] padded = [.. frame, .. new byte[60 - frame.Length]];

        Assert.True(UdpFrame.TryParse(padded, out var udp));

        Assert.Equal(1, udp.PayloadLength);
        Assert.True(udp.ChecksumsValid);
    }

    [Theory]
    [InlineData(18, 0x01)] // a flipped bit inside the IPv4 header (the identification)
    [InlineData(60, 0x80)] // a flipped bit in the payload
    public void TryParse_CorruptedFrame_ParsesButReportsChecksum(int offset, byte mask)
    {
        byte[] frame = BuiltFrames.DhcpLikeDiscover();
        frame[offset] ^= mask;

        Assert.True(UdpFrame.TryParse(frame, out var udp));

        Assert.False(udp.ChecksumsValid);
        Assert.Equal(offset >= 34, !udp.UdpChecksumValid);
        Assert.Equal(offset < 34, !udp.IPv4ChecksumValid);
    }

    public static TheoryData<string, byte[]> NotUdpOverIPv4 => new()
    {
        { "TCP", SampleFrames.TcpSyn },
        { "ARP", SampleFrames.ArpReply },
        { "ICMP", SampleFrames.IcmpEchoRequest },
        { "IPv6", SampleFrames.IcmpV6EchoRequest },
        { "first fragment", Patched(BuiltFrames.DhcpLikeDiscover(), 20, 0x20, 0x00) },
        { "later fragment", Patched(BuiltFrames.DhcpLikeDiscover(), 20, 0x00, 0x10) },
        { "IP total length past the frame", Patched(BuiltFrames.DhcpLikeDiscover(), 16, 0x01, 0x49) },
        { "UDP length past the datagram", Patched(BuiltFrames.DhcpLikeDiscover(), 38, 0x01, 0x35) },
        { "UDP length under eight", Patched(BuiltFrames.DhcpLikeDiscover(), 38, 0x00, 0x07) },
        { "IPv4 EtherType but version 6", Patched(BuiltFrames.DhcpLikeDiscover(), 14, 0x65, 0x00) },
    };

    [Theory]
    [MemberData(nameof(NotUdpOverIPv4))]
    public void TryParse_NotAWholeUdpDatagram_Fails(string what, byte[] frame)
    {
        Assert.False(UdpFrame.TryParse(frame, out var udp), what);
        Assert.Equal(0, udp.PayloadOffset);
    }

    [Fact]
    public void TryParse_TruncatedFrame_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(BuiltFrames.DhcpLikeDiscover(), 342, static s => UdpFrame.TryParse(s, out _));

    private static byte[] Patched(byte[] frame, int offset, byte first, byte second)
    {
        frame[offset] = first;
        frame[offset + 1] = second;
        return frame;
    }
}
