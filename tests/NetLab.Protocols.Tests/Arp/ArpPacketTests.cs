using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Tests.Frames;

namespace NetLab.Protocols.Tests.Arp;

public class ArpPacketTests
{
    [Fact]
    public void TryRead_CapturedRequest_ReadsFieldsAndIgnoresPadding()
    {
        var frame = SampleFrames.ArpRequestPadded;
        Assert.True(EthernetHeader.TryRead(frame, out var ethernet, out int offset));
        Assert.Equal(EtherType.Arp, ethernet.EtherType);

        Assert.True(ArpPacket.TryRead(frame.AsSpan(offset), out var arp, out int bytesRead));

        Assert.Equal(28, bytesRead);
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(MacAddress.Parse("a6:82:4b:c9:a1:a7"), arp.SenderMac);
        Assert.Equal(IPv4Address.Parse("10.40.2.3"), arp.SenderIp);
        Assert.Equal(MacAddress.Zero, arp.TargetMac);
        Assert.Equal(IPv4Address.Parse("10.40.1.1"), arp.TargetIp);
        Assert.False(arp.IsGratuitous);
    }

    /// <summary>What tcpdump printed for <see cref="SampleFrames.ArpReply"/>: "Reply 10.40.1.1 is-at 74:83:ef:07:d0:a9".</summary>
    internal static ArpPacket CapturedReply { get; } = new()
    {
        Operation = ArpOperation.Reply,
        SenderMac = MacAddress.Parse("74:83:ef:07:d0:a9"),
        SenderIp = IPv4Address.Parse("10.40.1.1"),
        TargetMac = MacAddress.Parse("a6:82:4b:c9:a1:a7"),
        TargetIp = IPv4Address.Parse("10.40.2.3"),
    };

    [Fact]
    public void TryRead_CapturedReply_ReadsFields()
    {
        Assert.True(ArpPacket.TryRead(SampleFrames.ArpReply.AsSpan(14), out var arp, out _));

        Assert.Equal(CapturedReply, arp);
    }

    [Fact]
    public void TryWrite_CapturedReplyFields_ReproducesTheCapturedBytes()
    {
        var buffer = new byte[28];

        Assert.True(CapturedReply.TryWrite(buffer, out int written));

        Assert.Equal(28, written);
        Assert.Equal(SampleFrames.ArpReply[14..], buffer);
    }

    [Theory]
    [InlineData(ArpOperation.Request, "02:00:00:00:00:01", "192.168.10.1", "00:00:00:00:00:00", "192.168.10.100")]
    [InlineData(ArpOperation.Reply, "02:00:00:00:00:02", "192.168.10.100", "02:00:00:00:00:01", "192.168.10.1")]
    [InlineData(ArpOperation.ReverseRequest, "ff:ff:ff:ff:ff:ff", "255.255.255.255", "ff:ff:ff:ff:ff:ff", "0.0.0.0")]
    public void TryWrite_ThenTryRead_RoundTrips(ArpOperation operation, string senderMac, string senderIp, string targetMac, string targetIp)
    {
        var packet = new ArpPacket
        {
            Operation = operation,
            SenderMac = MacAddress.Parse(senderMac),
            SenderIp = IPv4Address.Parse(senderIp),
            TargetMac = MacAddress.Parse(targetMac),
            TargetIp = IPv4Address.Parse(targetIp),
        };
        var buffer = new byte[28];

        Assert.True(packet.TryWrite(buffer, out _));
        Assert.True(ArpPacket.TryRead(buffer, out var read, out _));

        Assert.Equal(packet.Operation, read.Operation);
        Assert.Equal(packet.SenderMac, read.SenderMac);
        Assert.Equal(packet.SenderIp, read.SenderIp);
        Assert.Equal(packet.TargetMac, read.TargetMac);
        Assert.Equal(packet.TargetIp, read.TargetIp);
    }

    [Fact]
    public void IsGratuitous_SenderEqualsTarget_IsTrue()
    {
        var announcement = new ArpPacket { Operation = ArpOperation.Request, SenderIp = IPv4Address.Parse("192.168.10.1"), TargetIp = IPv4Address.Parse("192.168.10.1") };

        Assert.True(announcement.IsGratuitous);
    }

    [Theory]
    [InlineData(0, "0006")] // hardware type IEEE 802 instead of Ethernet
    [InlineData(2, "86dd")] // protocol type IPv6
    [InlineData(4, "08")]   // hardware address length 8
    [InlineData(5, "10")]   // protocol address length 16
    public void TryRead_OtherHardwareOrProtocol_Fails(int offset, string replacement)
    {
        byte[] arp = SampleFrames.ArpReply[14..];
        SampleFrames.Hex(replacement).CopyTo(arp, offset);

        Assert.False(ArpPacket.TryRead(arp, out _, out int bytesRead));
        Assert.Equal(0, bytesRead);
    }

    [Fact]
    public void TryRead_TruncatedPacket_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(SampleFrames.ArpReply[14..], 28, static s => ArpPacket.TryRead(s, out _, out _));

    [Fact]
    public void TryWrite_ShortBuffer_Fails()
    {
        Assert.False(new ArpPacket().TryWrite(new byte[27], out int written));
        Assert.Equal(0, written);
    }
}
