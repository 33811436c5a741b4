using System.Buffers.Binary;
using System.Text;
using NetLab.Protocols.Addressing;

namespace NetLab.Protocols.Dhcp;

/// <summary>A DHCPv4 message (RFC 2131 2): the fixed BOOTP fields, the magic cookie and the options.
/// Reading joins options split into several instances (RFC 3396) and takes options out of sname/file
/// when option 52 overloads them (RFC 2132 9.3); options this codec does not interpret are kept as
/// raw bytes and written back unchanged. Writing splits options longer than 255 octets (RFC 3396).</summary>
public sealed class DhcpMessage
{
    public const ushort ServerPort = 67;
    public const ushort ClientPort = 68;
    /// <summary>RFC 1542 2.1: relay agents and old clients may drop BOOTP messages shorter than this.</summary>
    public const int MinimumLength = 300;
    /// <summary>RFC 2131 2: every client must accept 576-octet IP datagrams (the smallest option 57 value).</summary>
    public const int DefaultMaxMessageSize = 576;
    /// <summary>The DHCP message in a 576-octet datagram: 576 minus 20 octets of IPv4 and 8 of UDP header
    /// (an options field of 312 octets, RFC 2131 2).</summary>
    public const int DefaultMaxMessageLength = DefaultMaxMessageSize - 28;

    private byte[] _clientHardwareAddress = new byte[16];
    private byte[] _serverNameField = new byte[DhcpMessageView.ServerNameLength];
    private byte[] _fileField = new byte[DhcpMessageView.FileLength];

    public DhcpOperation Operation { get; set; } = DhcpOperation.BootRequest;
    /// <summary>ARP hardware type; 1 is Ethernet.</summary>
    public byte HardwareType { get; set; } = 1;
    public byte HardwareAddressLength { get; set; } = 6;
    public byte Hops { get; set; }
    public uint TransactionId { get; set; }
    public ushort Seconds { get; set; }
    public ushort Flags { get; set; }

    /// <summary>RFC 2131 2: the BROADCAST bit, the leftmost bit of flags.</summary>
    public bool Broadcast
    {
        get => (Flags & 0x8000) != 0;
        set => Flags = value ? (ushort)(Flags | 0x8000) : (ushort)(Flags & 0x7FFF);
    }

    /// <summary>ciaddr: filled by a client that already has its address (BOUND, RENEWING, REBINDING, INFORM).</summary>
    public IPv4Address ClientAddress { get; set; }
    /// <summary>yiaddr: the address the server gives.</summary>
    public IPv4Address YourAddress { get; set; }
    /// <summary>siaddr: next server (TFTP) address.</summary>
    public IPv4Address ServerAddress { get; set; }
    /// <summary>giaddr: the relay agent that forwarded the message.</summary>
    public IPv4Address GatewayAddress { get; set; }

    /// <summary>chaddr, all 16 octets as received.</summary>
    public byte[] ClientHardwareAddress
    {
        get => _clientHardwareAddress;
        set => _clientHardwareAddress = CheckLength(value, 16, nameof(ClientHardwareAddress));
    }

    /// <summary>The first six chaddr octets as a MAC (Ethernet clients); setting it also sets htype/hlen for Ethernet.</summary>
    public MacAddress ClientMac
    {
        get => MacAddress.Read(_clientHardwareAddress);
        set
        {
            Array.Clear(_clientHardwareAddress);
            value.Write(_clientHardwareAddress);
            HardwareType = 1;
            HardwareAddressLength = MacAddress.Length;
        }
    }

    /// <summary>sname, 64 octets as received (cleared when it carried overloaded options).</summary>
    public byte[] ServerNameField
    {
        get => _serverNameField;
        set => _serverNameField = CheckLength(value, DhcpMessageView.ServerNameLength, nameof(ServerNameField));
    }

    /// <summary>file, 128 octets as received (cleared when it carried overloaded options).</summary>
    public byte[] FileField
    {
        get => _fileField;
        set => _fileField = CheckLength(value, DhcpMessageView.FileLength, nameof(FileField));
    }

    /// <summary>sname as text, up to the first NUL.</summary>
    public string ServerName
    {
        get => NulTerminated(_serverNameField);
        set => _serverNameField = ToField(value, DhcpMessageView.ServerNameLength, nameof(ServerName));
    }

    /// <summary>file as text, up to the first NUL.</summary>
    public string BootFileName
    {
        get => NulTerminated(_fileField);
        set => _fileField = ToField(value, DhcpMessageView.FileLength, nameof(BootFileName));
    }

    /// <summary>False for plain BOOTP (RFC 951) messages, whose vendor area is kept in <see cref="BootpVendorArea"/>.</summary>
    public bool HasMagicCookie { get; set; } = true;

    /// <summary>The vendor area of a plain BOOTP message (no magic cookie), kept raw.</summary>
    public ReadOnlyMemory<byte> BootpVendorArea { get; set; }

    /// <summary>Which fields held options in the message as read (option 52); informational, Write never overloads.</summary>
    public DhcpOverloadedFields OverloadedFields { get; private set; }

    /// <summary>The options in order of first appearance, one entry per code (RFC 3396 instances joined).
    /// Option 52 is consumed by the reader and not listed.</summary>
    public List<DhcpOption> Options { get; } = [];

    public DhcpOption? GetOption(DhcpOptionCode code)
    {
        foreach (var option in Options)
        {
            if (option.Code == code)
            {
                return option;
            }
        }
        return null;
    }

    /// <summary>Replaces the option with the same code in place, or appends it.</summary>
    public void SetOption(DhcpOption option)
    {
        int index = Options.FindIndex(o => o.Code == option.Code);
        if (index >= 0)
        {
            Options[index] = option;
        }
        else
        {
            Options.Add(option);
        }
    }

    public bool RemoveOption(DhcpOptionCode code) => Options.RemoveAll(o => o.Code == code) > 0;

    public DhcpMessageType? MessageType
    {
        get => GetOption(DhcpOptionCode.MessageType)?.AsByte() is byte value ? (DhcpMessageType)value : null;
        set => Set(DhcpOptionCode.MessageType, value is { } type ? DhcpOption.FromByte(DhcpOptionCode.MessageType, (byte)type) : null);
    }

    public IPv4Address? SubnetMask
    {
        get => GetAddress(DhcpOptionCode.SubnetMask);
        set => SetAddress(DhcpOptionCode.SubnetMask, value);
    }

    public IReadOnlyList<IPv4Address>? Routers
    {
        get => GetAddresses(DhcpOptionCode.Router);
        set => SetAddresses(DhcpOptionCode.Router, value);
    }

    public IReadOnlyList<IPv4Address>? DnsServers
    {
        get => GetAddresses(DhcpOptionCode.DomainNameServer);
        set => SetAddresses(DhcpOptionCode.DomainNameServer, value);
    }

    public string? DomainName
    {
        get => GetOption(DhcpOptionCode.DomainName)?.AsText();
        set => SetText(DhcpOptionCode.DomainName, value);
    }

    public string? HostName
    {
        get => GetOption(DhcpOptionCode.HostName)?.AsText();
        set => SetText(DhcpOptionCode.HostName, value);
    }

    /// <summary>Option 51 in seconds; 0xFFFFFFFF means infinite (RFC 2131 3.3).</summary>
    public uint? LeaseTime
    {
        get => GetOption(DhcpOptionCode.LeaseTime)?.AsUInt32();
        set => SetUInt32(DhcpOptionCode.LeaseTime, value);
    }

    /// <summary>T1, option 58, seconds.</summary>
    public uint? RenewalTime
    {
        get => GetOption(DhcpOptionCode.RenewalTime)?.AsUInt32();
        set => SetUInt32(DhcpOptionCode.RenewalTime, value);
    }

    /// <summary>T2, option 59, seconds.</summary>
    public uint? RebindingTime
    {
        get => GetOption(DhcpOptionCode.RebindingTime)?.AsUInt32();
        set => SetUInt32(DhcpOptionCode.RebindingTime, value);
    }

    public IPv4Address? ServerIdentifier
    {
        get => GetAddress(DhcpOptionCode.ServerIdentifier);
        set => SetAddress(DhcpOptionCode.ServerIdentifier, value);
    }

    public IPv4Address? RequestedIPAddress
    {
        get => GetAddress(DhcpOptionCode.RequestedIPAddress);
        set => SetAddress(DhcpOptionCode.RequestedIPAddress, value);
    }

    public IReadOnlyList<DhcpOptionCode>? ParameterRequestList
    {
        get => GetOption(DhcpOptionCode.ParameterRequestList)?.AsCodes();
        set => Set(DhcpOptionCode.ParameterRequestList, value is null ? null : DhcpOption.FromCodes(DhcpOptionCode.ParameterRequestList, value));
    }

    /// <summary>Option 61 raw (usually type 1 followed by the MAC, RFC 2132 9.14).</summary>
    public byte[]? ClientIdentifier
    {
        get => GetOption(DhcpOptionCode.ClientIdentifier) is { Data.Length: > 0 } option ? option.Data.ToArray() : null;
        set => Set(DhcpOptionCode.ClientIdentifier, value is null ? null : new DhcpOption(DhcpOptionCode.ClientIdentifier, value.ToArray()));
    }

    public ushort? MaxMessageSize
    {
        get => GetOption(DhcpOptionCode.MaxMessageSize)?.AsUInt16();
        set => Set(DhcpOptionCode.MaxMessageSize, value is { } size ? DhcpOption.FromUInt16(DhcpOptionCode.MaxMessageSize, size) : null);
    }

    public string? VendorClassIdentifier
    {
        get => GetOption(DhcpOptionCode.VendorClassIdentifier)?.AsText();
        set => SetText(DhcpOptionCode.VendorClassIdentifier, value);
    }

    public IPv4Address? BroadcastAddress
    {
        get => GetAddress(DhcpOptionCode.BroadcastAddress);
        set => SetAddress(DhcpOptionCode.BroadcastAddress, value);
    }

    /// <summary>Decodes a UDP payload. Never throws: malformed input gives false and a reason.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out DhcpMessage? message, out string? error)
    {
        message = null;
        if (!DhcpMessageView.TryCreate(buffer, out var view))
        {
            error = $"truncated: {buffer.Length} octets, the BOOTP fixed part needs {DhcpMessageView.FixedLength}";
            return false;
        }
        if (!view.TryCheckFixedPart(out error))
        {
            return false;
        }
        var result = new DhcpMessage
        {
            Operation = view.Operation,
            HardwareType = view.HardwareType,
            HardwareAddressLength = view.HardwareAddressLength,
            Hops = view.Hops,
            TransactionId = view.TransactionId,
            Seconds = view.Seconds,
            Flags = view.Flags,
            ClientAddress = view.ClientAddress,
            YourAddress = view.YourAddress,
            ServerAddress = view.ServerAddress,
            GatewayAddress = view.GatewayAddress,
            _clientHardwareAddress = view.ClientHardwareAddress.ToArray(),
            _serverNameField = view.ServerNameField.ToArray(),
            _fileField = view.FileField.ToArray(),
            HasMagicCookie = view.HasMagicCookie,
        };
        if (!result.HasMagicCookie)
        {
            result.BootpVendorArea = buffer[DhcpMessageView.FixedLength..].ToArray();
        }
        else if (!DhcpOptionAssembler.TryReadOptions(buffer, result, out error))
        {
            return false;
        }
        message = result;
        return true;
    }

    /// <summary>Octets <see cref="Write"/> produces: fixed part, cookie, options (split at 255), End,
    /// padded to the RFC 1542 minimum of 300.</summary>
    public int GetWrittenLength()
    {
        if (!HasMagicCookie)
        {
            return DhcpMessageView.FixedLength + BootpVendorArea.Length;
        }
        int length = DhcpMessageView.OptionsOffset + 1;
        foreach (var option in Options)
        {
            length += DhcpOptionAssembler.EncodedLength(option.Data.Length);
        }
        return Math.Max(length, MinimumLength);
    }

    /// <summary>Writes the message; the destination must hold <see cref="GetWrittenLength"/> octets.</summary>
    public int Write(Span<byte> destination)
    {
        int length = GetWrittenLength();
        if (destination.Length < length)
        {
            throw new ArgumentException($"destination holds {destination.Length} octets, the message needs {length}", nameof(destination));
        }
        var target = destination[..length];
        WriteFixedPart(target);
        if (!HasMagicCookie)
        {
            BootpVendorArea.Span.CopyTo(target[DhcpMessageView.FixedLength..]);
            return length;
        }
        int position = DhcpMessageView.OptionsOffset;
        foreach (var option in Options)
        {
            position += DhcpOptionAssembler.WriteSplit(target[position..], option);
        }
        target[position] = (byte)DhcpOptionCode.End;
        return length;
    }

    /// <summary>Clears the target and writes the 236 fixed octets and, for DHCP, the magic cookie.</summary>
    internal void WriteFixedPart(Span<byte> target)
    {
        target.Clear();
        target[0] = (byte)Operation;
        target[1] = HardwareType;
        target[2] = HardwareAddressLength;
        target[3] = Hops;
        BinaryPrimitives.WriteUInt32BigEndian(target[4..], TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(target[8..], Seconds);
        BinaryPrimitives.WriteUInt16BigEndian(target[10..], Flags);
        ClientAddress.Write(target[12..]);
        YourAddress.Write(target[16..]);
        ServerAddress.Write(target[20..]);
        GatewayAddress.Write(target[24..]);
        _clientHardwareAddress.CopyTo(target[28..]);
        _serverNameField.CopyTo(target[DhcpMessageView.ServerNameOffset..]);
        _fileField.CopyTo(target[DhcpMessageView.FileOffset..]);
        if (HasMagicCookie)
        {
            BinaryPrimitives.WriteUInt32BigEndian(target[DhcpMessageView.MagicCookieOffset..], DhcpMessageView.MagicCookie);
        }
    }

    public byte[] ToArray()
    {
        var bytes = new byte[GetWrittenLength()];
        Write(bytes);
        return bytes;
    }

    /// <summary>The message in at most <paramref name="maxMessageLength"/> octets (the client's option 57
    /// minus 28 octets of IP and UDP headers, or <see cref="DefaultMaxMessageLength"/>): options that do not fit in the options field continue in file, then sname, announced by option
    /// 52 (RFC 2132 9.3, order per RFC 3396 6). A field that holds a name is never overwritten. False when the
    /// options do not fit even so.</summary>
    public bool TryToArray(int maxMessageLength, out byte[]? bytes)
    {
        bytes = null;
        if (GetWrittenLength() <= maxMessageLength)
        {
            bytes = ToArray();
            return true;
        }
        if (!HasMagicCookie)
        {
            return false;
        }
        return DhcpOptionAssembler.TryWriteOverloaded(this, maxMessageLength, out bytes);
    }

    public override string ToString() =>
        $"{MessageType?.ToString() ?? Operation.ToString()} xid 0x{TransactionId:x8} chaddr {ClientMac} ciaddr {ClientAddress} yiaddr {YourAddress} " +
        $"giaddr {GatewayAddress} [{string.Join(", ", Options)}]";

    internal void SetOverloadedFields(DhcpOverloadedFields fields) => OverloadedFields = fields;

    private IPv4Address? GetAddress(DhcpOptionCode code) => GetOption(code)?.AsAddress();

    private IReadOnlyList<IPv4Address>? GetAddresses(DhcpOptionCode code) => GetOption(code)?.AsAddresses();

    private void Set(DhcpOptionCode code, DhcpOption? option)
    {
        if (option is null)
        {
            RemoveOption(code);
        }
        else
        {
            SetOption(option);
        }
    }

    private void SetAddress(DhcpOptionCode code, IPv4Address? value) =>
        Set(code, value is { } address ? DhcpOption.FromAddress(code, address) : null);

    private void SetAddresses(DhcpOptionCode code, IReadOnlyList<IPv4Address>? value) =>
        Set(code, value is null ? null : DhcpOption.FromAddresses(code, value));

    private void SetText(DhcpOptionCode code, string? value) =>
        Set(code, value is null ? null : DhcpOption.FromText(code, value));

    private void SetUInt32(DhcpOptionCode code, uint? value) =>
        Set(code, value is { } number ? DhcpOption.FromUInt32(code, number) : null);

    private static byte[] CheckLength(byte[] value, int length, string name) =>
        value.Length == length ? value : throw new ArgumentException($"{name} must be exactly {length} octets", name);

    private static string NulTerminated(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(nul >= 0 ? field[..nul] : field);
    }

    private static byte[] ToField(string text, int length, string name)
    {
        var field = new byte[length];
        // One octet is kept for the terminating NUL the BOOTP fields carry.
        if (Encoding.ASCII.GetByteCount(text) >= length)
        {
            throw new ArgumentException($"{name} must be shorter than {length} ASCII characters", name);
        }
        Encoding.ASCII.GetBytes(text, field);
        return field;
    }
}
