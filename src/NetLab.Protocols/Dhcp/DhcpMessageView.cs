using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>Runs every check <see cref="DhcpMessage.TryRead"/> makes (vendor area present, chaddr length,
    /// option framing in every area, End, option 52) without building the message.</summary>
    public bool TryValidate([NotNullWhen(false)] out string? error)
    {
        if (!TryCheckFixedPart(out error))
        {
            return false;
        }
        if (!HasMagicCookie)
        {
            return true;
        }
        var reader = new DhcpOptionInstanceReader(_buffer);
        while (reader.TryReadNext(out _, out _, out _))
        {
        }
        error = reader.Error;
        return error is null;
    }

    /// <summary>The checks before the options: a vendor area is present and chaddr's length fits.</summary>
    internal bool TryCheckFixedPart([NotNullWhen(false)] out string? error)
    {
        if (_buffer.Length < OptionsOffset)
        {
            // Even plain BOOTP (RFC 951) has a vendor area; what ends within the cookie's four octets was cut short.
            error = $"truncated: {_buffer.Length} octets, a message needs at least {OptionsOffset} (fixed part and magic cookie or vendor area)";
            return false;
        }
        if (HardwareAddressLength > 16)
        {
            error = $"hardware address length {HardwareAddressLength} exceeds the 16 octets of chaddr";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Copies an option's data joined over all its instances and areas (RFC 3396) into
    /// <paramref name="destination"/>, as much as fits. Returns the joined length (more than the destination
    /// when it did not fit), or -1 when the option is absent or the options cannot be read.</summary>
    public int CopyJoinedOption(DhcpOptionCode code, Span<byte> destination)
    {
        if (!HasMagicCookie)
        {
            return -1;
        }
        var reader = new DhcpOptionInstanceReader(_buffer);
        int length = -1;
        while (reader.TryReadNext(out var current, out int offset, out int count))
        {
            if (current != code)
            {
                continue;
            }
            length = Math.Max(length, 0);
            if (length < destination.Length)
            {
                _buffer.Slice(offset, Math.Min(count, destination.Length - length)).CopyTo(destination[length..]);
            }
            length += count;
        }
        return reader.Error is null ? length : -1;
    }
}

/// <summary>Walks every option instance of a DHCP message in RFC 3396 section 6 order: the options field, then
/// file and sname when option 52 (RFC 2132 9.3) lends them. Option 52 itself is consumed, not returned.
/// <see cref="Error"/> says why the walk stopped early (framing, a missing End, a bad option 52).</summary>
public ref struct DhcpOptionInstanceReader
{
    private readonly ReadOnlySpan<byte> _message;
    private DhcpOptionReader _reader;
    private int _areaStart;
    private DhcpOverloadedFields _areaField;
    private int _overloadOffset;
    private int _overloadLength;

    /// <param name="message">A whole message with the magic cookie.</param>
    public DhcpOptionInstanceReader(ReadOnlySpan<byte> message)
    {
        _message = message;
        _areaStart = DhcpMessageView.OptionsOffset;
        _areaField = DhcpOverloadedFields.None;
        _reader = new DhcpOptionReader(message[DhcpMessageView.OptionsOffset..]);
        _overloadOffset = -1;
        _overloadLength = 0;
        Overload = DhcpOverloadedFields.None;
        Error = null;
    }

    /// <summary>The fields option 52 lends to options (known once the options field is read).</summary>
    public DhcpOverloadedFields Overload { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The next instance: its code and where its data lies in the message.</summary>
    public bool TryReadNext(out DhcpOptionCode code, out int offset, out int length)
    {
        while (Error is null)
        {
            if (_reader.TryReadNext(out code, out var data))
            {
                offset = _areaStart + _reader.DataOffset;
                length = data.Length;
                if (_areaField == DhcpOverloadedFields.None && code == DhcpOptionCode.OptionOverload)
                {
                    // The first instance counts; any repeat is dropped with it.
                    if (_overloadOffset < 0)
                    {
                        (_overloadOffset, _overloadLength) = (offset, length);
                    }
                    continue;
                }
                return true;
            }
            if (!TryNextArea())
            {
                break;
            }
        }
        (code, offset, length) = (default, 0, 0);
        return false;
    }

    /// <summary>Checks how the area just read ended and moves to the next lent field; false when none is left.</summary>
    private bool TryNextArea()
    {
        if (_reader.Malformed)
        {
            string area = _areaField switch { DhcpOverloadedFields.File => "file", DhcpOverloadedFields.ServerName => "sname", _ => "options" };
            Error = $"an option in the {area} area runs past its end";
            return false;
        }
        if (_areaField == DhcpOverloadedFields.None)
        {
            if (!_reader.SawEnd)
            {
                // RFC 2131 4.1 / RFC 2132 3.2: the options field ends with End; without it the message was cut short.
                Error = "the options field has no End option (truncated message?)";
                return false;
            }
            if (_overloadOffset >= 0)
            {
                if (_overloadLength != 1 || _message[_overloadOffset] is 0 or > 3)
                {
                    Error = "option 52 (overload) must be one octet 1, 2 or 3";
                    return false;
                }
                Overload = (DhcpOverloadedFields)_message[_overloadOffset];
            }
        }
        // RFC 3396 6: file before sname.
        if (_areaField == DhcpOverloadedFields.None && Overload.HasFlag(DhcpOverloadedFields.File))
        {
            return StartArea(DhcpOverloadedFields.File, DhcpMessageView.FileOffset, DhcpMessageView.FileLength);
        }
        if (_areaField != DhcpOverloadedFields.ServerName && Overload.HasFlag(DhcpOverloadedFields.ServerName))
        {
            return StartArea(DhcpOverloadedFields.ServerName, DhcpMessageView.ServerNameOffset, DhcpMessageView.ServerNameLength);
        }
        return false;
    }

    private bool StartArea(DhcpOverloadedFields field, int start, int length)
    {
        _areaField = field;
        _areaStart = start;
        _reader = new DhcpOptionReader(_message.Slice(start, length));
        return true;
    }
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
