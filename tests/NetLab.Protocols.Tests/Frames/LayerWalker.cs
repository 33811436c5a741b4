using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Frames;

/// <summary>What <see cref="LayerWalker"/> decoded from one frame.</summary>
internal sealed class LayerReport
{
    public EthernetHeader? Ethernet { get; set; }
    /// <summary>Where the network layer (ARP, IPv4, IPv6) starts.</summary>
    public int NetworkOffset { get; set; }
    public ArpPacket? Arp { get; set; }
    public IPv4Header? IPv4 { get; set; }
    public IPv6Header? IPv6 { get; set; }
    public IPv6UpperLayer? IPv6UpperLayer { get; set; }
    public UdpHeader? Udp { get; set; }
    public TcpHeader? Tcp { get; set; }
    public IcmpV4Message? IcmpV4 { get; set; }
    /// <summary>The IPv4 header quoted by an ICMP error.</summary>
    public IPv4Header? QuotedIPv4 { get; set; }
    /// <summary>UDP, TCP or ICMPv6 checksum over its pseudo-header; null when there was no whole segment to check.</summary>
    public bool? TransportChecksumValid { get; set; }
    public UdpFrame? UdpFrame { get; set; }
    /// <summary>The length fields met on the way, which the fuzz test likes to rewrite.</summary>
    public List<(int Offset, LengthFieldKind Kind)> LengthFields { get; } = [];
}

internal enum LengthFieldKind
{
    /// <summary>IPv4 IHL: the low four bits of the first byte.</summary>
    LowNibble,
    /// <summary>TCP data offset: the high four bits.</summary>
    HighNibble,
    /// <summary>IPv6 extension header length.</summary>
    Byte,
    /// <summary>IPv4 Total Length, IPv6 Payload Length, UDP Length.</summary>
    Word,
}

/// <summary>Decodes a frame layer by layer as a sniffer would, asserting on the way that no reader claims more
/// bytes than it was given and that UdpFrame agrees with the layer-by-layer decoding.</summary>
internal static class LayerWalker
{
    public static LayerReport Walk(ReadOnlySpan<byte> frame)
    {
        var report = new LayerReport();
        if (UdpFrame.TryParse(frame, out var udpFrame))
        {
            Assert.InRange(udpFrame.PayloadOffset + udpFrame.PayloadLength, udpFrame.PayloadOffset, frame.Length);
            report.UdpFrame = udpFrame;
        }
        if (!EthernetHeader.TryRead(frame, out var ethernet, out int offset))
        {
            Assert.Null(report.UdpFrame);
            return report;
        }
        Assert.InRange(offset, 14, Math.Min(18, frame.Length));
        report.Ethernet = ethernet;
        report.NetworkOffset = offset;
        var payload = frame[offset..];
        switch (ethernet.EtherType)
        {
            case EtherType.Arp when ArpPacket.TryRead(payload, out var arp, out int arpLength):
                Assert.InRange(arpLength, 0, payload.Length);
                report.Arp = arp;
                break;
            case EtherType.IPv4:
                WalkIPv4(payload, offset, report);
                break;
            case EtherType.IPv6:
                WalkIPv6(payload, offset, report);
                break;
            default:
                break;
        }
        if (report.UdpFrame is { } parsed)
        {
            Assert.Equal(report.Udp?.SourcePort, parsed.SourcePort);
            Assert.Equal(report.Udp?.DestinationPort, parsed.DestinationPort);
            Assert.Equal(report.TransportChecksumValid, parsed.UdpChecksumValid);
        }
        return report;
    }

    private static void WalkIPv4(ReadOnlySpan<byte> packet, int offset, LayerReport report)
    {
        report.LengthFields.Add((offset, LengthFieldKind.LowNibble));
        report.LengthFields.Add((offset + 2, LengthFieldKind.Word));
        if (!IPv4Header.TryRead(packet, out var ip, out int headerLength))
        {
            return;
        }
        Assert.InRange(headerLength, 20, packet.Length);
        report.IPv4 = ip;
        if (ip.TotalLength > packet.Length || ip.IsFragment)
        {
            return;
        }
        var segment = packet[headerLength..ip.TotalLength];
        WalkTransport(segment, offset + headerLength, ip.Protocol, report,
            s => TransportChecksum.VerifyIPv4(ip.Source, ip.Destination, ip.Protocol, s));
        if (report.IcmpV4 is { InnerPacketOffset: int inner } && inner <= segment.Length
            && IPv4Header.TryRead(segment[inner..], out var quoted, out int quotedLength))
        {
            Assert.InRange(quotedLength, 20, segment.Length - inner);
            report.QuotedIPv4 = quoted;
        }
    }

    private static void WalkIPv6(ReadOnlySpan<byte> packet, int offset, LayerReport report)
    {
        report.LengthFields.Add((offset + 4, LengthFieldKind.Word));
        if (!IPv6Header.TryRead(packet, out var ip, out int headerLength))
        {
            return;
        }
        Assert.Equal(40, headerLength);
        report.IPv6 = ip;
        if (!IPv6Header.TryFindUpperLayer(packet, out var upper))
        {
            return;
        }
        report.IPv6UpperLayer = upper;
        int end = Math.Min(packet.Length, 40 + ip.PayloadLength);
        Assert.InRange(upper.Offset, 40, end);
        if (upper.ExtensionHeaderCount > 0)
        {
            report.LengthFields.Add((offset + 40 + 1, LengthFieldKind.Byte));
        }
        if (upper.HasUpperLayerHeader && 40 + ip.PayloadLength <= packet.Length)
        {
            var protocol = upper.Protocol;
            WalkTransport(packet[upper.Offset..end], offset + upper.Offset, protocol, report,
                s => upper.IsFragment ? null : TransportChecksum.VerifyIPv6(ip.Source, ip.Destination, protocol, s));
        }
    }

    /// <summary>Verifies a segment's checksum, or returns null when it cannot be checked (a fragment of it).</summary>
    private delegate bool? SegmentCheck(ReadOnlySpan<byte> segment);

    private static void WalkTransport(ReadOnlySpan<byte> segment, int offset, IpProtocol protocol, LayerReport report, SegmentCheck verify)
    {
        switch (protocol)
        {
            case IpProtocol.Udp:
                report.LengthFields.Add((offset + 4, LengthFieldKind.Word));
                if (UdpHeader.TryRead(segment, out var udp, out int udpLength))
                {
                    Assert.InRange(udpLength, 8, segment.Length);
                    report.Udp = udp;
                    if (udp.TotalLength <= segment.Length)
                    {
                        report.TransportChecksumValid = verify(segment[..udp.TotalLength]);
                    }
                }
                break;
            case IpProtocol.Tcp:
                report.LengthFields.Add((offset + 12, LengthFieldKind.HighNibble));
                if (TcpHeader.TryRead(segment, out var tcp, out int tcpLength))
                {
                    Assert.InRange(tcpLength, 20, segment.Length);
                    report.Tcp = tcp;
                    report.TransportChecksumValid = verify(segment);
                }
                break;
            case IpProtocol.Icmp:
                if (IcmpV4Message.TryRead(segment, out var icmp, out int icmpLength))
                {
                    Assert.InRange(icmpLength, 8, segment.Length);
                    report.IcmpV4 = icmp;
                    report.TransportChecksumValid = icmp.ChecksumValid;
                }
                break;
            case IpProtocol.IPv6Icmp when segment.Length >= 4:
                report.TransportChecksumValid = verify(segment);
                break;
            default:
                break;
        }
    }
}
