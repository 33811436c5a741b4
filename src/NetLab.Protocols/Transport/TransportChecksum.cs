using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Checksums;
using NetLab.Protocols.IP;

namespace NetLab.Protocols.Transport;

/// <summary>UDP and TCP checksums over the pseudo-header and the segment (RFC 768, RFC 9293 section 3.1,
/// RFC 8200 section 8.1). <c>segment</c> is the whole UDP datagram or TCP segment, header included.</summary>
public static class TransportChecksum
{
    /// <summary>Checksum to put in the header; the segment's checksum field must be zero while computing.
    /// A UDP result of zero is sent as 0xFFFF, because zero means "no checksum" (RFC 768).</summary>
    public static ushort ComputeIPv4(IPv4Address source, IPv4Address destination, IpProtocol protocol, ReadOnlySpan<byte> segment) =>
        Compute(protocol, PseudoHeaderIPv4(source, destination, protocol, segment.Length), segment);

    /// <summary>True when the segment, checksum field included, sums to all ones with the pseudo-header. A UDP
    /// checksum of zero over IPv4 means the sender did not compute one, and counts as valid (RFC 768).</summary>
    public static bool VerifyIPv4(IPv4Address source, IPv4Address destination, IpProtocol protocol, ReadOnlySpan<byte> segment) =>
        Verify(protocol, PseudoHeaderIPv4(source, destination, protocol, segment.Length), segment, zeroUdpChecksumAllowed: true);

    /// <summary>Checksum to put in the header over the IPv6 pseudo-header; the checksum field must be zero while computing.</summary>
    public static ushort ComputeIPv6(IPv6Address source, IPv6Address destination, IpProtocol protocol, ReadOnlySpan<byte> segment) =>
        Compute(protocol, PseudoHeaderIPv6(source, destination, protocol, segment.Length), segment);

    /// <summary>True when the segment sums to all ones with the IPv6 pseudo-header. Over IPv6 a zero UDP
    /// checksum is invalid (RFC 8200 section 8.1).</summary>
    public static bool VerifyIPv6(IPv6Address source, IPv6Address destination, IpProtocol protocol, ReadOnlySpan<byte> segment) =>
        Verify(protocol, PseudoHeaderIPv6(source, destination, protocol, segment.Length), segment, zeroUdpChecksumAllowed: false);

    /// <summary>Zeroes the checksum field of a UDP or TCP segment, computes the IPv4 checksum and stores it.</summary>
    public static void FillIPv4(IPv4Address source, IPv4Address destination, IpProtocol protocol, Span<byte> segment) =>
        Fill(protocol, PseudoHeaderIPv4(source, destination, protocol, segment.Length), segment);

    /// <summary>Zeroes the checksum field of a UDP or TCP segment, computes the IPv6 checksum and stores it.</summary>
    public static void FillIPv6(IPv6Address source, IPv6Address destination, IpProtocol protocol, Span<byte> segment) =>
        Fill(protocol, PseudoHeaderIPv6(source, destination, protocol, segment.Length), segment);

    private static ushort Compute(IpProtocol protocol, uint pseudoHeaderSum, ReadOnlySpan<byte> segment)
    {
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Accumulate(pseudoHeaderSum, segment));
        return protocol == IpProtocol.Udp && checksum == 0 ? (ushort)0xFFFF : checksum;
    }

    private static bool Verify(IpProtocol protocol, uint pseudoHeaderSum, ReadOnlySpan<byte> segment, bool zeroUdpChecksumAllowed)
    {
        if (protocol == IpProtocol.Udp && segment.Length >= UdpHeader.Length
            && BinaryPrimitives.ReadUInt16BigEndian(segment[UdpHeader.ChecksumOffset..]) == 0)
        {
            return zeroUdpChecksumAllowed;
        }
        return InternetChecksum.Finish(InternetChecksum.Accumulate(pseudoHeaderSum, segment)) == 0;
    }

    private static void Fill(IpProtocol protocol, uint pseudoHeaderSum, Span<byte> segment)
    {
        var field = ChecksumField(protocol, segment);
        field.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(field, Compute(protocol, pseudoHeaderSum, segment));
    }

    private static Span<byte> ChecksumField(IpProtocol protocol, Span<byte> segment) => protocol switch
    {
        IpProtocol.Udp when segment.Length >= UdpHeader.Length => segment.Slice(UdpHeader.ChecksumOffset, 2),
        IpProtocol.Tcp when segment.Length >= TcpHeader.MinimumLength => segment.Slice(TcpHeader.ChecksumOffset, 2),
        IpProtocol.Udp or IpProtocol.Tcp => throw new ArgumentException("The segment is shorter than its header.", nameof(segment)),
        _ => throw new ArgumentException($"Only UDP and TCP checksums can be filled, not {protocol}.", nameof(protocol)),
    };

    // RFC 768 / RFC 9293 section 3.1: source, destination, zero, protocol, TCP/UDP length.
    private static uint PseudoHeaderIPv4(IPv4Address source, IPv4Address destination, IpProtocol protocol, int length)
    {
        Span<byte> pseudo = stackalloc byte[12];
        source.Write(pseudo);
        destination.Write(pseudo[4..]);
        pseudo[8] = 0;
        pseudo[9] = (byte)protocol;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)length);
        return InternetChecksum.Accumulate(0, pseudo);
    }

    // RFC 8200 section 8.1: source, destination, 32-bit upper-layer length, three zero bytes, next header.
    private static uint PseudoHeaderIPv6(IPv6Address source, IPv6Address destination, IpProtocol protocol, int length)
    {
        Span<byte> pseudo = stackalloc byte[40];
        source.Write(pseudo);
        destination.Write(pseudo[16..]);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo[32..], (uint)length);
        pseudo[36] = 0;
        pseudo[37] = 0;
        pseudo[38] = 0;
        pseudo[39] = (byte)protocol;
        return InternetChecksum.Accumulate(0, pseudo);
    }
}
