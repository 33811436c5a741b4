using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Frames;

/// <summary>Builds complete Ethernet frames, for programs that send through a raw capture handle (a DHCP
/// server answering a client that has no address yet, a client sending its DISCOVER from 0.0.0.0).</summary>
public static class FrameBuilder
{
    /// <summary>TTL of built datagrams: the usual default of Linux and RFC 1700.</summary>
    public const byte DefaultTtl = 64;

    private const int UdpOverhead = EthernetHeader.UntaggedLength + IPv4Header.MinimumLength + UdpHeader.Length;

    /// <summary>The largest UDP payload an IPv4 datagram can carry (Total Length is 16 bits).</summary>
    public const int MaximumUdpPayload = ushort.MaxValue - IPv4Header.MinimumLength - UdpHeader.Length;

    public static int UdpFrameLength(int payloadLength) => UdpOverhead + payloadLength;

    /// <summary>Writes an untagged Ethernet II / IPv4 (no options, TTL 64, DF clear) / UDP frame with the IPv4
    /// header checksum and the UDP checksum computed. Returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The payload is too long for one datagram or <paramref name="destination"/> is too small.</exception>
    public static int WriteUdp(Span<byte> destination, MacAddress sourceMac, MacAddress destinationMac, IPv4Address sourceIp,
        IPv4Address destinationIp, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaximumUdpPayload)
        {
            throw new ArgumentException($"A UDP payload over IPv4 is at most {MaximumUdpPayload} bytes, not {payload.Length}.", nameof(payload));
        }
        int length = UdpFrameLength(payload.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The frame needs {length} bytes but the buffer has {destination.Length}.", nameof(destination));
        }
        var frame = destination[..length];
        new EthernetHeader { Destination = destinationMac, Source = sourceMac, EtherType = EtherType.IPv4 }.TryWrite(frame, out int offset);
        var ip = new IPv4Header
        {
            TotalLength = (ushort)(IPv4Header.MinimumLength + UdpHeader.Length + payload.Length),
            Ttl = DefaultTtl,
            Protocol = IpProtocol.Udp,
            Source = sourceIp,
            Destination = destinationIp,
        };
        ip.TryWrite(frame[offset..], out int ipHeaderLength);
        var segment = frame[(offset + ipHeaderLength)..];
        new UdpHeader
        {
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            TotalLength = (ushort)(UdpHeader.Length + payload.Length),
        }.TryWrite(segment, out int udpHeaderLength);
        payload.CopyTo(segment[udpHeaderLength..]);
        TransportChecksum.FillIPv4(sourceIp, destinationIp, IpProtocol.Udp, segment);
        return length;
    }

    public static byte[] BuildUdp(MacAddress sourceMac, MacAddress destinationMac, IPv4Address sourceIp, IPv4Address destinationIp,
        ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[UdpFrameLength(payload.Length)];
        WriteUdp(frame, sourceMac, destinationMac, sourceIp, destinationIp, sourcePort, destinationPort, payload);
        return frame;
    }

    public const int ArpFrameLength = EthernetHeader.UntaggedLength + ArpPacket.Length;

    /// <summary>Writes an untagged Ethernet II frame carrying <paramref name="packet"/>. Returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="ArpFrameLength"/>.</exception>
    public static int WriteArp(Span<byte> destination, MacAddress sourceMac, MacAddress destinationMac, ArpPacket packet)
    {
        if (destination.Length < ArpFrameLength)
        {
            throw new ArgumentException($"An ARP frame needs {ArpFrameLength} bytes but the buffer has {destination.Length}.", nameof(destination));
        }
        new EthernetHeader { Destination = destinationMac, Source = sourceMac, EtherType = EtherType.Arp }.TryWrite(destination, out int offset);
        packet.TryWrite(destination[offset..], out int arpLength);
        return offset + arpLength;
    }

    public static byte[] BuildArp(MacAddress sourceMac, MacAddress destinationMac, ArpPacket packet)
    {
        var frame = new byte[ArpFrameLength];
        WriteArp(frame, sourceMac, destinationMac, packet);
        return frame;
    }
}
