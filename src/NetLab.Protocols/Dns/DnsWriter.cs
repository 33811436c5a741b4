using System.Buffers.Binary;
using System.Text;

namespace NetLab.Protocols.Dns;

/// <summary>Writes a DNS message front to back into a caller's buffer, compressing names (RFC 1035 4.1.4)
/// against the names already written. Every method returns false when the buffer is full.</summary>
public ref struct DnsWriter
{
    /// <summary>Pointers hold 14 bits, so only the first 16 KiB of a message can be pointed at.</summary>
    private const int MaxPointerTarget = 0x3FFF;

    private readonly Span<byte> _buffer;
    private readonly Dictionary<string, int> _names;

    public DnsWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _names = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    public int Position { get; private set; }

    public readonly Span<byte> Written => _buffer[..Position];

    public bool TryWriteUInt8(byte value)
    {
        if (Position + 1 > _buffer.Length)
        {
            return false;
        }
        _buffer[Position++] = value;
        return true;
    }

    public bool TryWriteUInt16(ushort value)
    {
        if (!BinaryPrimitives.TryWriteUInt16BigEndian(_buffer[Position..], value))
        {
            return false;
        }
        Position += 2;
        return true;
    }

    public bool TryWriteUInt32(uint value)
    {
        if (!BinaryPrimitives.TryWriteUInt32BigEndian(_buffer[Position..], value))
        {
            return false;
        }
        Position += 4;
        return true;
    }

    public bool TryWriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (!bytes.TryCopyTo(_buffer[Position..]))
        {
            return false;
        }
        Position += bytes.Length;
        return true;
    }

    /// <summary>Overwrites a 16-bit value written earlier (RDLENGTH, counts).</summary>
    public readonly void PatchUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[offset..], value);

    /// <summary>Writes a name; with <paramref name="compress"/> a known suffix becomes a pointer. Names written here
    /// are remembered as targets either way. RFC 3597 4: only RFC 1035 types may compress names inside RDATA.</summary>
    public bool TryWriteName(string name, bool compress = true)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        if (!DnsName.TryEncode(name, wire, out int wireLength))
        {
            return false;
        }
        int start = Position;
        int position = 0;
        while (wire[position] != 0)
        {
            string suffix = SuffixKey(wire[position..wireLength]);
            if (compress && _names.TryGetValue(suffix, out int target))
            {
                return TryWriteUInt16((ushort)(0xC000 | target)) || Rewind(start);
            }
            if (Position <= MaxPointerTarget)
            {
                _names.TryAdd(suffix, Position);
            }
            int labelLength = wire[position];
            if (!TryWriteBytes(wire.Slice(position, 1 + labelLength)))
            {
                return Rewind(start);
            }
            position += 1 + labelLength;
        }
        return TryWriteUInt8(0) || Rewind(start);
    }

    private bool Rewind(int position)
    {
        Position = position;
        return false;
    }

    private static string SuffixKey(ReadOnlySpan<byte> wire)
    {
        // Case-insensitive (RFC 4343): fold ASCII letters; Latin1 keeps every other byte distinct.
        Span<byte> lower = stackalloc byte[wire.Length];
        for (int i = 0; i < wire.Length; i++)
        {
            lower[i] = wire[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(wire[i] | 0x20) : wire[i];
        }
        return Encoding.Latin1.GetString(lower);
    }
}
