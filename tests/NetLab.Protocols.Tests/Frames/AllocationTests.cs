using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Frames;

/// <summary>The parse paths are meant for a capture loop: decoding a frame must not allocate.</summary>
public class AllocationTests
{
    [Fact]
    public void Decoders_ParsingFramesRepeatedly_AllocateNothing()
    {
        byte[] dhcp = BuiltFrames.Tagged(BuiltFrames.DhcpLikeDiscover());
        byte[] tcp = BuiltFrames.TcpWithEveryOption();
        byte[] chain = BuiltFrames.IPv6ExtensionChain();
        byte[] icmp = SampleFrames.IcmpPortUnreachable;
        byte[] arp = SampleFrames.ArpReply;
        int decoded = DecodeAll(dhcp, tcp, chain, icmp, arp); // warm up: JIT and static initialisers

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            decoded += DecodeAll(dhcp, tcp, chain, icmp, arp);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1001 * 9, decoded);
    }

    /// <summary>Returns how many decoders succeeded, so that a failing parse cannot pass for a cheap one.</summary>
    private static int DecodeAll(byte[] dhcp, byte[] tcp, byte[] chain, byte[] icmp, byte[] arp)
    {
        int count = 0;
        if (UdpFrame.TryParse(dhcp, out var udp) && udp.ChecksumsValid)
        {
            count++;
        }
        if (EthernetHeader.TryRead(tcp, out _, out int offset) && IPv4Header.TryRead(tcp.AsSpan(offset), out var ip, out int ipLength))
        {
            count++;
            var segment = tcp.AsSpan(offset + ipLength, ip.PayloadLength);
            if (TcpHeader.TryRead(segment, out var header, out _) && header.SackBlocks.Count == 2)
            {
                count++;
            }
            if (TransportChecksum.VerifyIPv4(ip.Source, ip.Destination, IpProtocol.Tcp, segment))
            {
                count++;
            }
        }
        if (IPv6Header.TryFindUpperLayer(chain.AsSpan(14), out var upper) && upper.Protocol == IpProtocol.Udp)
        {
            count++;
        }
        if (IPv6Header.TryRead(chain.AsSpan(14), out var ipv6, out _)
            && !TransportChecksum.VerifyIPv6(ipv6.Source, ipv6.Destination, IpProtocol.Udp, chain.AsSpan(14 + upper.Offset)))
        {
            count++; // the chain's UDP checksum is zero, which IPv6 forbids
        }
        if (IcmpV4Message.TryRead(icmp.AsSpan(34), out var message, out _) && message.ChecksumValid)
        {
            count++;
        }
        if (message.InnerPacketOffset is int inner && IPv4Header.TryRead(icmp.AsSpan(34 + inner), out _, out _))
        {
            count++;
        }
        if (ArpPacket.TryRead(arp.AsSpan(14), out _, out _))
        {
            count++;
        }
        return count;
    }
}
