using System.Buffers.Binary;
using NetLab.Protocols.Addressing;

namespace NetLab.Protocols.Dhcp;

/// <summary>A zero-allocation view over a received DHCP message: the fixed BOOTP fields (RFC 2131 2,
/// figure 1) read straight from the buffer, and a walk over the options field. Use it on hot paths
/// (a server deciding whether a frame is for it); use <see cref="DhcpMessage"/> to get every option
/// with overload and RFC 3396 joining applied.</summary>
public readonly ref struct DhcpMessageView
{
    public const int FixedLength = 236;
    public const int ServerNameOffset = 44;
    public const int ServerNameLength = 64;
    public const int FileOffset = 108;
    public const int FileLength = 128;
    public const int MagicCookieOffset = 236;
    public const int OptionsOffset = 240;
    /// <summary>RFC 2131 3: 99.130.83.99 in the first four octets of the options field.</summary>
    public const uint MagicCookie = 0x63825363;

    private readonly ReadOnlySpan<byte> _buffer;

    private DhcpMessageView(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>Accepts a buffer holding at least the fixed fields; a DHCP message (as opposed to
    /// plain BOOTP) also carries the magic cookie, see <see cref="HasMagicCookie"/>.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, out DhcpMessageView view)
    {
        view = buffer.Length >= FixedLength ? new DhcpMessageView(buffer) : default;
        return buffer.Length >= FixedLength;
    }

    public ReadOnlySpan<byte> Buffer => _buffer;
    public DhcpOperation Operation => (DhcpOperation)_buffer[0];
    public byte HardwareType => _buffer[1];
    public byte HardwareAddressLength => _buffer[2];
    public byte Hops => _buffer[3];
    public uint TransactionId => BinaryPrimitives.ReadUInt32BigEndian(_buffer[4..]);
    public ushort Seconds => BinaryPrimitives.ReadUInt16BigEndian(_buffer[8..]);
    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_buffer[10..]);
    /// <summary>RFC 2131 2: the leftmost bit of flags asks for a broadcast reply.</summary>
    public bool Broadcast => (Flags & 0x8000) != 0;
    public IPv4Address ClientAddress => IPv4Address.Read(_buffer[12..]);
    public IPv4Address YourAddress => IPv4Address.Read(_buffer[16..]);
    public IPv4Address ServerAddress => IPv4Address.Read(_buffer[20..]);
    public IPv4Address GatewayAddress => IPv4Address.Read(_buffer[24..]);
    public ReadOnlySpan<byte> ClientHardwareAddress => _buffer.Slice(28, 16);
    /// <summary>The first six chaddr octets: the MAC for Ethernet (htype 1, hlen 6).</summary>
    public MacAddress ClientMac => MacAddress.Read(_buffer[28..]);
    public ReadOnlySpan<byte> ServerNameField => _buffer.Slice(ServerNameOffset, ServerNameLength);
    public ReadOnlySpan<byte> FileField => _buffer.Slice(FileOffset, FileLength);

    public bool HasMagicCookie =>
        _buffer.Length >= OptionsOffset && BinaryPrimitives.ReadUInt32BigEndian(_buffer[MagicCookieOffset..]) == MagicCookie;

    /// <summary>The options field after the cookie (empty for plain BOOTP).</summary>
    public ReadOnlySpan<byte> Options => HasMagicCookie ? _buffer[OptionsOffset..] : default;

    /// <summary>The first instance of an option in the options field (no overload, no joining).
    /// False when absent or when the field is malformed before it.</summary>
    public bool TryGetOption(DhcpOptionCode code, out ReadOnlySpan<byte> data)
    {
        var reader = new DhcpOptionReader(Options);
        while (reader.TryReadNext(out var current, out var currentData))
        {
            if (current == code)
            {
                data = currentData;
                return true;
            }
        }
        data = default;
        return false;
    }

    public DhcpMessageType? MessageType =>
        TryGetOption(DhcpOptionCode.MessageType, out var data) && data.Length == 1 ? (DhcpMessageType)data[0] : null;
}

/// <summary>Walks one options area (the options field, or file/sname when overloaded): skips Pad,
/// stops at End or at the end of the area. <see cref="Malformed"/> tells an option that runs past the
/// area apart from a clean end.</summary>
public ref struct DhcpOptionReader
{
    private readonly ReadOnlySpan<byte> _area;
    private int _position;

    public DhcpOptionReader(ReadOnlySpan<byte> area)
    {
        _area = area;
        _position = 0;
        Malformed = false;
        SawEnd = false;
    }

    public bool Malformed { get; private set; }
    public bool SawEnd { get; private set; }
    /// <summary>Where the data of the option last returned starts, relative to the area.</summary>
    public int DataOffset { get; private set; }

    public bool TryReadNext(out DhcpOptionCode code, out ReadOnlySpan<byte> data)
    {
        code = default;
        data = default;
        while (_position < _area.Length && !SawEnd && !Malformed)
        {
            byte current = _area[_position];
            if (current == (byte)DhcpOptionCode.Pad)
            {
                _position++;
                continue;
            }
            if (current == (byte)DhcpOptionCode.End)
            {
                SawEnd = true;
                return false;
            }
            // RFC 2132 2: every other option is code, length, data.
            if (_position + 2 > _area.Length || _position + 2 + _area[_position + 1] > _area.Length)
            {
                Malformed = true;
                return false;
            }
            int length = _area[_position + 1];
            code = (DhcpOptionCode)current;
            DataOffset = _position + 2;
            data = _area.Slice(DataOffset, length);
            _position += 2 + length;
            return true;
        }
        return false;
    }
}
