using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Checksums;

namespace NetLab.Protocols.IP;

/// <summary>An IPv4 header (RFC 791 section 3.1). Options stay in the packet: they start at
/// <see cref="OptionsOffset"/> and run for <see cref="OptionsLength"/> bytes.</summary>
public readonly struct IPv4Header
{
    public const int MinimumLength = 20;
    public const int MaximumLength = 60;
    public const int OptionsOffset = MinimumLength;

    private const ushort ReservedFlagBit = 0x8000;
    private const ushort DontFragmentBit = 0x4000;
    private const ushort MoreFragmentsBit = 0x2000;
    private const ushort FragmentOffsetMask = 0x1FFF;

    public byte Version { get; init; }
    /// <summary>Header length in bytes as read (IHL times four); the writer derives it from the options it is given.</summary>
    public int HeaderLength { get; init; }
    /// <summary>Differentiated Services code point: the upper six bits of the former TOS byte (RFC 2474).</summary>
    public byte Dscp { get; init; }
    /// <summary>Explicit Congestion Notification: the lower two bits of the former TOS byte (RFC 3168).</summary>
    public byte Ecn { get; init; }
    public ushort TotalLength { get; init; }
    public ushort Identification { get; init; }
    /// <summary>The reserved flag bit, which RFC 791 says must be zero.</summary>
    public bool ReservedFlag { get; init; }
    public bool DontFragment { get; init; }
    public bool MoreFragments { get; init; }
    /// <summary>Fragment offset in units of eight bytes, as on the wire.</summary>
    public ushort FragmentOffset { get; init; }
    public byte Ttl { get; init; }
    public IpProtocol Protocol { get; init; }
    /// <summary>The checksum as read; the writer computes its own.</summary>
    public ushort HeaderChecksum { get; init; }
    /// <summary>True when the header bytes sum to all ones (RFC 791, RFC 1071).</summary>
    public bool HeaderChecksumValid { get; init; }
    public IPv4Address Source { get; init; }
    public IPv4Address Destination { get; init; }

    public int OptionsLength => HeaderLength - MinimumLength;
    public int FragmentOffsetBytes => FragmentOffset * 8;
    /// <summary>Part of a fragmented datagram: more fragments follow or this one is not the first.</summary>
    public bool IsFragment => MoreFragments || FragmentOffset != 0;
    /// <summary>Bytes after the header according to Total Length.</summary>
    public int PayloadLength => TotalLength - HeaderLength;

    /// <summary>Reads the header; fails on a version other than 4, an IHL under 5, a header longer than
    /// <paramref name="source"/> or a Total Length shorter than the header. A wrong checksum is reported in
    /// <see cref="HeaderChecksumValid"/>, not by failing, so a sniffer can still show the packet.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IPv4Header header, out int bytesRead)
    {
        header = default;
        bytesRead = 0;
        if (source.Length < MinimumLength || (source[0] >> 4) != 4)
        {
            return false;
        }
        int headerLength = (source[0] & 0x0F) * 4;
        ushort totalLength = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (headerLength < MinimumLength || headerLength > source.Length || totalLength < headerLength)
        {
            return false;
        }
        ushort flagsAndOffset = BinaryPrimitives.ReadUInt16BigEndian(source[6..]);
        header = new IPv4Header
        {
            Version = 4,
            HeaderLength = headerLength,
            Dscp = (byte)(source[1] >> 2),
            Ecn = (byte)(source[1] & 0x03),
            TotalLength = totalLength,
            Identification = BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
            ReservedFlag = (flagsAndOffset & ReservedFlagBit) != 0,
            DontFragment = (flagsAndOffset & DontFragmentBit) != 0,
            MoreFragments = (flagsAndOffset & MoreFragmentsBit) != 0,
            FragmentOffset = (ushort)(flagsAndOffset & FragmentOffsetMask),
            Ttl = source[8],
            Protocol = (IpProtocol)source[9],
            HeaderChecksum = BinaryPrimitives.ReadUInt16BigEndian(source[10..]),
            HeaderChecksumValid = InternetChecksum.IsValid(source[..headerLength]),
            Source = IPv4Address.Read(source[12..]),
            Destination = IPv4Address.Read(source[16..]),
        };
        bytesRead = headerLength;
        return true;
    }

    /// <summary>Writes a 20-byte header without options and computes its checksum.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten) => TryWrite(destination, [], out bytesWritten);

    /// <summary>Writes the header followed by <paramref name="options"/> (already padded to a multiple of four
    /// bytes, at most 40) and computes the checksum; IHL comes from the options, version is always 4.</summary>
    public bool TryWrite(Span<byte> destination, ReadOnlySpan<byte> options, out int bytesWritten)
    {
        bytesWritten = 0;
        int headerLength = MinimumLength + options.Length;
        if (options.Length % 4 != 0 || headerLength > MaximumLength || destination.Length < headerLength
            || Dscp > 0x3F || Ecn > 0x03 || FragmentOffset > FragmentOffsetMask)
        {
            return false;
        }
        destination[0] = (byte)(0x40 | (headerLength / 4));
        destination[1] = (byte)((Dscp << 2) | Ecn);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], TotalLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Identification);
        ushort flagsAndOffset = (ushort)((ReservedFlag ? ReservedFlagBit : 0) | (DontFragment ? DontFragmentBit : 0)
            | (MoreFragments ? MoreFragmentsBit : 0) | FragmentOffset);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], flagsAndOffset);
        destination[8] = Ttl;
        destination[9] = (byte)Protocol;
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], 0);
        Source.Write(destination[12..]);
        Destination.Write(destination[16..]);
        options.CopyTo(destination[MinimumLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], InternetChecksum.Compute(destination[..headerLength]));
        bytesWritten = headerLength;
        return true;
    }
}
