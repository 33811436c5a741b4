using System.Buffers.Binary;

namespace NetLab.Protocols.IP;

/// <summary>The fixed IPv6 header (RFC 8200 section 3). Extension headers that follow it are walked by
/// <see cref="TryFindUpperLayer"/>.</summary>
public readonly struct IPv6Header
{
    public const int Length = 40;

    /// <summary>A bound on the chain so that a crafted packet cannot make the walk long; real packets carry a few.</summary>
    public const int MaximumExtensionHeaders = 16;

    public byte Version { get; init; }
    public byte TrafficClass { get; init; }
    /// <summary>The 20-bit flow label.</summary>
    public uint FlowLabel { get; init; }
    /// <summary>Bytes after this fixed header, extension headers included.</summary>
    public ushort PayloadLength { get; init; }
    public IpProtocol NextHeader { get; init; }
    public byte HopLimit { get; init; }
    public IPv6Address Source { get; init; }
    public IPv6Address Destination { get; init; }

    public static bool TryRead(ReadOnlySpan<byte> source, out IPv6Header header, out int bytesRead)
    {
        header = default;
        bytesRead = 0;
        if (source.Length < Length || (source[0] >> 4) != 6)
        {
            return false;
        }
        uint first = BinaryPrimitives.ReadUInt32BigEndian(source);
        header = new IPv6Header
        {
            Version = 6,
            TrafficClass = (byte)(first >> 20),
            FlowLabel = first & 0x000F_FFFF,
            PayloadLength = BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
            NextHeader = (IpProtocol)source[6],
            HopLimit = source[7],
            Source = IPv6Address.Read(source[8..]),
            Destination = IPv6Address.Read(source[24..]),
        };
        bytesRead = Length;
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Length || FlowLabel > 0x000F_FFFF)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination, (6U << 28) | ((uint)TrafficClass << 20) | FlowLabel);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], PayloadLength);
        destination[6] = (byte)NextHeader;
        destination[7] = HopLimit;
        Source.Write(destination[8..]);
        Destination.Write(destination[24..]);
        bytesWritten = Length;
        return true;
    }

    /// <summary>Walks the extension header chain of an IPv6 packet (starting at its fixed header) to the
    /// upper-layer header (RFC 8200 section 4). Stops at ESP (encrypted), No Next Header, a non-first
    /// fragment, or any protocol that is not an extension header. Fails when the fixed header or an
    /// extension header is cut short, or the chain exceeds <see cref="MaximumExtensionHeaders"/>.</summary>
    public static bool TryFindUpperLayer(ReadOnlySpan<byte> packet, out IPv6UpperLayer upperLayer)
    {
        upperLayer = default;
        if (!TryRead(packet, out var header, out int offset))
        {
            return false;
        }
        // Never look past the payload the header declares, nor past what was captured.
        int end = Math.Min(packet.Length, Length + header.PayloadLength);
        var next = header.NextHeader;
        bool isFragment = false;
        bool moreFragments = false;
        ushort fragmentOffset = 0;
        uint fragmentId = 0;
        for (int count = 0; ; count++)
        {
            if (!IsExtensionHeader(next) || (isFragment && fragmentOffset != 0))
            {
                upperLayer = new IPv6UpperLayer(next, offset, count, isFragment, moreFragments, fragmentOffset, fragmentId);
                return true;
            }
            if (count == MaximumExtensionHeaders || end - offset < 8)
            {
                return false;
            }
            var extension = packet[offset..end];
            int extensionLength;
            switch (next)
            {
                case IpProtocol.Fragment:
                    // RFC 8200 section 4.5: fixed eight bytes; offset in 8-byte units, M flag in the lowest bit.
                    ushort offsetAndFlags = BinaryPrimitives.ReadUInt16BigEndian(extension[2..]);
                    isFragment = true;
                    fragmentOffset = (ushort)(offsetAndFlags >> 3);
                    moreFragments = (offsetAndFlags & 1) != 0;
                    fragmentId = BinaryPrimitives.ReadUInt32BigEndian(extension[4..]);
                    extensionLength = 8;
                    break;
                case IpProtocol.AuthenticationHeader:
                    // RFC 4302 section 2.2: Payload Len is in 32-bit words, minus 2.
                    extensionLength = (extension[1] + 2) * 4;
                    break;
                default:
                    // RFC 8200 sections 4.3-4.6: Hdr Ext Len in 8-octet units, not counting the first 8.
                    extensionLength = (extension[1] + 1) * 8;
                    break;
            }
            if (extensionLength > extension.Length)
            {
                return false;
            }
            next = (IpProtocol)extension[0];
            offset += extensionLength;
        }
    }

    /// <summary>Headers that share the Next Header / length layout and may precede the upper layer (RFC 8200 section 4, RFC 7045).</summary>
    public static bool IsExtensionHeader(IpProtocol protocol) => protocol is IpProtocol.HopByHopOptions or IpProtocol.Routing
        or IpProtocol.Fragment or IpProtocol.AuthenticationHeader or IpProtocol.DestinationOptions
        or IpProtocol.Mobility or IpProtocol.Hip or IpProtocol.Shim6;
}

/// <summary>Where the upper-layer header of an IPv6 packet starts, found by <see cref="IPv6Header.TryFindUpperLayer"/>.</summary>
/// <param name="Protocol">The last Next Header value: TCP, UDP, ICMPv6, ESP, No Next Header, ...</param>
/// <param name="Offset">Offset of that header from the start of the IPv6 header.</param>
/// <param name="ExtensionHeaderCount">Extension headers passed on the way.</param>
/// <param name="IsFragment">A Fragment header was present.</param>
/// <param name="MoreFragments">The Fragment header's M flag.</param>
/// <param name="FragmentOffset">Fragment offset in 8-byte units; when non-zero, <paramref name="Offset"/> points at fragment data, not a header.</param>
/// <param name="FragmentIdentification">The Fragment header's Identification.</param>
public readonly record struct IPv6UpperLayer(
    IpProtocol Protocol,
    int Offset,
    int ExtensionHeaderCount,
    bool IsFragment,
    bool MoreFragments,
    ushort FragmentOffset,
    uint FragmentIdentification)
{
    /// <summary>True when the upper-layer header itself is present: not a later fragment and not encrypted or absent.</summary>
    public bool HasUpperLayerHeader => FragmentOffset == 0 && Protocol is not (IpProtocol.Esp or IpProtocol.NoNextHeader);
}
