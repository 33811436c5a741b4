using System.Buffers.Binary;

namespace NetLab.Protocols.Dns;

/// <summary>RFC 1035 4.2.2 / RFC 7766 8: over TCP each message is preceded by its length as a 16-bit big-endian number.</summary>
public static class DnsTcpFraming
{
    public const int LengthPrefixSize = 2;

    /// <summary>Takes one framed message from the front of <paramref name="stream"/>; false when more bytes are needed.</summary>
    public static bool TryReadFrame(ReadOnlySpan<byte> stream, out ReadOnlySpan<byte> message, out int bytesConsumed)
    {
        message = default;
        bytesConsumed = 0;
        if (stream.Length < LengthPrefixSize)
        {
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(stream);
        if (stream.Length < LengthPrefixSize + length)
        {
            return false;
        }
        message = stream.Slice(LengthPrefixSize, length);
        bytesConsumed = LengthPrefixSize + length;
        return true;
    }

    /// <summary>Writes the prefix then the message.</summary>
    public static bool TryWriteFrame(ReadOnlySpan<byte> message, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (message.Length > ushort.MaxValue || destination.Length < LengthPrefixSize + message.Length)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)message.Length);
        message.CopyTo(destination[LengthPrefixSize..]);
        bytesWritten = LengthPrefixSize + message.Length;
        return true;
    }
}
