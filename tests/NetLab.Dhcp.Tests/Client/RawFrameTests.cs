using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Dhcp.Client;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Frames;

namespace NetLab.Dhcp.Tests.Client;

/// <summary>What the raw transport and the ARP probe make of frames off the wire, good and bad.</summary>
public class RawFrameTests
{
    private static readonly MacAddress ClientMac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress OtherMac = MacAddress.Parse("02:00:00:00:00:66");
    private static readonly IPv4Address Candidate = IPv4Address.Parse("192.168.10.100");

    private static byte[] OfferFrame()
    {
        var offer = new DhcpMessage { Operation = DhcpOperation.BootReply, TransactionId = 0x1234, ClientMac = ClientMac, YourAddress = Candidate };
        offer.MessageType = DhcpMessageType.Offer;
        offer.ServerIdentifier = IPv4Address.Parse("192.168.10.1");
        return FrameBuilder.BuildUdp(OtherMac, ClientMac, IPv4Address.Parse("192.168.10.1"), Candidate, 67, 68, offer.ToArray());
    }

    [Fact]
    public void Decode_ServerFrame_GivesMessageAndSource()
    {
        var reply = RawDhcpTransport.Decode(OfferFrame(), out string? problem);
        Assert.Null(problem);
        Assert.NotNull(reply);
        Assert.Equal(DhcpMessageType.Offer, reply.Message.MessageType);
        Assert.Equal(0x1234u, reply.Message.TransactionId);
        Assert.Equal(IPv4Address.Parse("192.168.10.1"), reply.SourceIp);
        Assert.Equal(OtherMac, reply.SourceMac);
    }

    [Fact]
    public void Decode_UnfinishedUdpChecksum_IsAccepted()
    {
        // Transmit checksum offload leaves the UDP checksum unfinished in frames captured on veth links.
        byte[] frame = OfferFrame();
        frame[14 + 20 + 6] ^= 0x5A;
        Assert.NotNull(RawDhcpTransport.Decode(frame, out _));
    }

    [Fact]
    public void Decode_EveryTruncation_IsRejectedWithoutThrowing()
    {
        byte[] frame = OfferFrame();
        for (int length = 0; length < frame.Length; length++)
        {
            var reply = RawDhcpTransport.Decode(frame.AsSpan(0, length), out string? problem);
            Assert.True(reply is null, $"length {length} decoded");
            Assert.False(string.IsNullOrEmpty(problem));
        }
    }

    [Fact]
    public void Decode_RandomGarbageAndCorruptedFrames_NeverThrow()
    {
        var random = new Random(4);
        byte[] good = OfferFrame();
        for (int i = 0; i < 2000; i++)
        {
            byte[] frame = i % 2 == 0 ? new byte[random.Next(0, 600)] : (byte[])good.Clone();
            if (i % 2 == 0)
            {
                random.NextBytes(frame);
            }
            else
            {
                frame[random.Next(frame.Length)] = (byte)random.Next(256);
            }
            _ = RawDhcpTransport.Decode(frame, out _);
        }
    }

    private static byte[] Arp(ArpOperation operation, MacAddress sender, IPv4Address senderIp, IPv4Address target) =>
        FrameBuilder.BuildArp(sender, MacAddress.Broadcast, new ArpPacket
        {
            Operation = operation,
            SenderMac = sender,
            SenderIp = senderIp,
            TargetMac = MacAddress.Zero,
            TargetIp = target,
        });

    [Fact]
    public void Conflict_OwnerReplyOrRivalProbe_NamesTheOtherHost()
    {
        var probe = new ArpConflictProbe("eth0", ClientMac, 1, TimeSpan.FromMilliseconds(10), NullLogger.Instance);
        Assert.Equal(OtherMac, probe.Conflict(Arp(ArpOperation.Reply, OtherMac, Candidate, IPv4Address.Any), Candidate));
        Assert.Equal(OtherMac, probe.Conflict(Arp(ArpOperation.Request, OtherMac, Candidate, Candidate), Candidate));
        Assert.Equal(OtherMac, probe.Conflict(Arp(ArpOperation.Request, OtherMac, IPv4Address.Any, Candidate), Candidate));
    }

    [Fact]
    public void Conflict_OwnProbesAndUnrelatedArp_AreNotConflicts()
    {
        var probe = new ArpConflictProbe("eth0", ClientMac, 1, TimeSpan.FromMilliseconds(10), NullLogger.Instance);
        byte[] own = Arp(ArpOperation.Request, ClientMac, IPv4Address.Any, Candidate);
        Assert.Null(probe.Conflict(own, Candidate));
        Assert.Null(probe.Conflict(Arp(ArpOperation.Request, OtherMac, IPv4Address.Parse("192.168.10.7"), Candidate), Candidate));
        Assert.Null(probe.Conflict(Arp(ArpOperation.Reply, OtherMac, IPv4Address.Parse("192.168.10.7"), IPv4Address.Any), Candidate));
        byte[] theirs = Arp(ArpOperation.Reply, OtherMac, Candidate, IPv4Address.Any);
        for (int length = 0; length < theirs.Length - 18; length++)
        {
            Assert.Null(probe.Conflict(theirs.AsSpan(0, length), Candidate));
        }
    }
}
