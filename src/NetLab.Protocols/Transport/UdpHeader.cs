using System.Buffers.Binary;

namespace NetLab.Protocols.Transport;

/// <summary>A UDP header (RFC 768).</summary>
public readonly struct UdpHeader
{
    public const int Length = 8;
    /// <summary>Offset of the checksum field inside the header.</summary>
    public const int ChecksumOffset = 6;

    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    /// <summary>The Length field: header plus data, in bytes.</summary>
    public ushort TotalLength { get; init; }
    /// <summary>Zero means the sender computed no checksum (allowed over IPv4 only).</summary>
    public ushort Checksum { get; init; }

    public int PayloadLength => TotalLength - Length;

    /// <summary>Reads the eight header bytes; fails when fewer are present or the Length field is under eight.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out UdpHeader header, out int bytesRead)
    {
        header = default;
        bytesRead = 0;
        if (source.Length < Length)
        {
            return false;
        }
        ushort totalLength = BinaryPrimitives.ReadUInt16BigEndian(source[4..]);
        if (totalLength < Length)
        {
            return false;
        }
        header = new UdpHeader
        {
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(source),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            TotalLength = totalLength,
            Checksum = BinaryPrimitives.ReadUInt16BigEndian(source[6..]),
        };
        bytesRead = Length;
        return true;
    }

    /// <summary>Writes the fields as they are; fill the checksum afterwards with <see cref="TransportChecksum"/>.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Length)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], DestinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], TotalLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], Checksum);
        bytesWritten = Length;
        return true;
    }
}
