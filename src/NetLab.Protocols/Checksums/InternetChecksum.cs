using System.Buffers.Binary;

namespace NetLab.Protocols.Checksums;

/// <summary>The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running 32-bit sum; an odd last byte is padded with zero (RFC 1071 4.1).</summary>
    public static uint Accumulate(uint sum, ReadOnlySpan<byte> data)
    {
        ulong wide = sum;
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            wide += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        }
        for (; i + 2 <= data.Length; i += 2)
        {
            wide += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            wide += (uint)data[i] << 8;
        }
        while ((wide >> 32) != 0)
        {
            wide = (wide & 0xFFFF_FFFF) + (wide >> 32);
        }
        return (uint)wide;
    }

    /// <summary>Folds the carries of a running sum into 16 bits and complements it.</summary>
    public static ushort Finish(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Accumulate(0, data));

    /// <summary>True when data that includes its own checksum field sums to all ones (RFC 1071 section 1).</summary>
    public static bool IsValid(ReadOnlySpan<byte> data) => Compute(data) == 0;
}
