using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Checksums;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Tests.Arp;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Frames;

public class FrameBuilderTests
{
    [Fact]
    public void BuildUdp_BroadcastDhcpDiscover_HasEveryLengthAndChecksumRight()
    {
        byte[] payload = BuiltFrames.DhcpLikePayload();

        byte[] frame = BuiltFrames.DhcpLikeDiscover();

        Assert.Equal(14 + 20 + 8 + 300, frame.Length);
        Assert.Equal(FrameBuilder.UdpFrameLength(300), frame.Length);
        // Ethernet: broadcast destination, client source, EtherType IPv4.
        Assert.Equal(SampleFrames.Hex("ffffffffffff 020000000001 0800"), frame[..14]);
        var ip = frame.AsSpan(14, 20);
        Assert.Equal(0x45, ip[0]);                                             // version 4, IHL 5
        Assert.Equal(0, ip[1]);                                                // DSCP/ECN
        Assert.Equal(328, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));      // total length
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(ip[6..]));        // DF clear, not a fragment
        Assert.Equal(64, ip[8]);                                               // TTL
        Assert.Equal(17, ip[9]);                                               // UDP
        Assert.True(InternetChecksum.IsValid(ip));
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(ip[10..]));
        Assert.Equal(SampleFrames.Hex("00000000 ffffffff"), ip[12..20].ToArray());
        var udp = frame.AsSpan(34);
        Assert.Equal(68, BinaryPrimitives.ReadUInt16BigEndian(udp));
        Assert.Equal(67, BinaryPrimitives.ReadUInt16BigEndian(udp[2..]));
        Assert.Equal(308, BinaryPrimitives.ReadUInt16BigEndian(udp[4..]));
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(udp[6..]));  // computed, not "none"
        Assert.True(TransportChecksum.VerifyIPv4(IPv4Address.Any, IPv4Address.Broadcast, IpProtocol.Udp, udp));
        Assert.Equal(payload, udp[8..].ToArray());
    }

    [Fact]
    public void WriteUdp_IntoLargerBuffer_WritesOnlyTheFrameAndMatchesBuildUdp()
    {
        byte[] payload = [1, 2, 3];
        var buffer = new byte[100];
        Array.Fill(buffer, (byte)0xEE);

        int written = FrameBuilder.WriteUdp(buffer, BuiltFrames.ClientMac, MacAddress.Broadcast, IPv4Address.Parse("192.168.10.1"),
            IPv4Address.Parse("192.168.10.100"), 67, 68, payload);

        Assert.Equal(45, written);
        Assert.All(buffer[written..], b => Assert.Equal(0xEE, b));
        Assert.Equal(FrameBuilder.BuildUdp(BuiltFrames.ClientMac, MacAddress.Broadcast, IPv4Address.Parse("192.168.10.1"),
            IPv4Address.Parse("192.168.10.100"), 67, 68, payload), buffer[..written]);
    }

    [Fact]
    public void WriteUdp_BufferTooSmall_IsACallerBug() =>
        Assert.Throws<ArgumentException>(() => FrameBuilder.WriteUdp(new byte[42], BuiltFrames.ClientMac, MacAddress.Broadcast,
            IPv4Address.Any, IPv4Address.Broadcast, 68, 67, [1]));

    [Fact]
    public void WriteUdp_PayloadOverDatagramLimit_IsACallerBug() =>
        Assert.Throws<ArgumentException>(() => FrameBuilder.BuildUdp(BuiltFrames.ClientMac, MacAddress.Broadcast,
            IPv4Address.Any, IPv4Address.Broadcast, 68, 67, new byte[FrameBuilder.MaximumUdpPayload + 1]));

    [Fact]
    public void BuildUdp_LargestPayload_FillsTotalLength()
    {
        byte[] frame = FrameBuilder.BuildUdp(BuiltFrames.ClientMac, MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast, 1, 2,
            new byte[FrameBuilder.MaximumUdpPayload]);

        Assert.True(UdpFrame.TryParse(frame, out var udp));
        Assert.Equal(ushort.MaxValue, udp.IPv4.TotalLength);
        Assert.True(udp.ChecksumsValid);
    }

    [Fact]
    public void BuildArp_CapturedReplyFields_ReproducesCapturedFrame()
    {
        var reply = ArpPacketTests.CapturedReply;

        byte[] frame = FrameBuilder.BuildArp(reply.SenderMac, reply.TargetMac, reply);

        Assert.Equal(SampleFrames.ArpReply, frame);
    }

    [Fact]
    public void WriteArp_BufferTooSmall_IsACallerBug() =>
        Assert.Throws<ArgumentException>(() => FrameBuilder.WriteArp(new byte[41], BuiltFrames.ClientMac, MacAddress.Broadcast, default));
}
