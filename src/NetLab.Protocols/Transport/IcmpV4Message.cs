using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Checksums;

namespace NetLab.Protocols.Transport;

/// <summary>The eight-byte ICMPv4 header (RFC 792): type, code, checksum and the type-specific second word
/// (echo identifier and sequence, next-hop MTU, parameter-problem pointer, redirect gateway). Error messages
/// carry the offending datagram's IPv4 header at <see cref="InnerPacketOffset"/>.</summary>
public readonly struct IcmpV4Message
{
    public const int HeaderLength = 8;

    private readonly uint _rest;

    public IcmpV4Type Type { get; init; }
    public byte Code { get; init; }
    /// <summary>The checksum as read; the writer computes its own over header and payload.</summary>
    public ushort Checksum { get; init; }
    /// <summary>True when the whole message given to <see cref="TryRead"/> sums to all ones.</summary>
    public bool ChecksumValid { get; init; }

    /// <summary>The second 32-bit word, whose meaning depends on the type.</summary>
    public uint RestOfHeader { get => _rest; init => _rest = value; }

    /// <summary>Echo and timestamp messages: the identifier (upper half of the second word).</summary>
    public ushort Identifier { get => (ushort)(_rest >> 16); init => _rest = (_rest & 0x0000_FFFF) | ((uint)value << 16); }
    /// <summary>Echo and timestamp messages: the sequence number (lower half of the second word).</summary>
    public ushort Sequence { get => (ushort)_rest; init => _rest = (_rest & 0xFFFF_0000) | value; }
    /// <summary>Fragmentation needed: the next-hop MTU (RFC 1191 section 4).</summary>
    public ushort NextHopMtu => (ushort)_rest;
    /// <summary>Parameter problem: the offset of the offending octet.</summary>
    public byte Pointer => (byte)(_rest >> 24);
    /// <summary>Redirect: the gateway to use instead.</summary>
    public IPv4Address Gateway => new(_rest);

    public bool IsEcho => Type is IcmpV4Type.EchoRequest or IcmpV4Type.EchoReply;

    /// <summary>True for messages that quote the IPv4 header and first eight data bytes of the datagram that caused them.</summary>
    public bool IsError => Type is IcmpV4Type.DestinationUnreachable or IcmpV4Type.SourceQuench or IcmpV4Type.Redirect
        or IcmpV4Type.TimeExceeded or IcmpV4Type.ParameterProblem;

    /// <summary>Offset of the quoted IPv4 header inside the ICMP message for error messages, otherwise null.</summary>
    public int? InnerPacketOffset => IsError ? HeaderLength : null;

    /// <summary>Reads the header from the complete ICMP message (the IPv4 payload) and verifies the checksum over all of it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IcmpV4Message message, out int bytesRead)
    {
        message = default;
        bytesRead = 0;
        if (source.Length < HeaderLength)
        {
            return false;
        }
        message = new IcmpV4Message
        {
            Type = (IcmpV4Type)source[0],
            Code = source[1],
            Checksum = BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            ChecksumValid = InternetChecksum.IsValid(source),
            RestOfHeader = BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
        };
        bytesRead = HeaderLength;
        return true;
    }

    /// <summary>Writes the header alone, its checksum covering only these eight bytes.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten) => TryWrite(destination, [], out bytesWritten);

    /// <summary>Writes the header then <paramref name="payload"/> (echo data, or the quoted datagram of an error)
    /// and computes the checksum over both.</summary>
    public bool TryWrite(Span<byte> destination, ReadOnlySpan<byte> payload, out int bytesWritten)
    {
        bytesWritten = 0;
        int length = HeaderLength + payload.Length;
        if (destination.Length < length)
        {
            return false;
        }
        destination[0] = (byte)Type;
        destination[1] = Code;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], _rest);
        payload.CopyTo(destination[HeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], InternetChecksum.Compute(destination[..length]));
        bytesWritten = length;
        return true;
    }
}
