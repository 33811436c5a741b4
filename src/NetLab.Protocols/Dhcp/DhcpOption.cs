using System.Buffers.Binary;
using System.Text;
using NetLab.Protocols.Addressing;

namespace NetLab.Protocols.Dhcp;

/// <summary>One DHCP option: its code and its data, already joined when the option was split across
/// several instances (RFC 3396). Data is kept as received, so options this codec does not interpret are
/// written back byte for byte. The typed getters return null when the data has the wrong length for
/// the format RFC 2132 gives.</summary>
public sealed class DhcpOption
{
    public DhcpOption(DhcpOptionCode code, ReadOnlyMemory<byte> data)
    {
        if (code is DhcpOptionCode.Pad or DhcpOptionCode.End)
        {
            throw new ArgumentException("Pad and End are framing, not options.", nameof(code));
        }
        Code = code;
        Data = data;
    }

    public DhcpOptionCode Code { get; }
    public ReadOnlyMemory<byte> Data { get; }
    public DhcpOptionFormat Format => DhcpOptionFormats.Of(Code);
    public bool HasValidLength => DhcpOptionFormats.IsValidLength(Format, Data.Length);

    public static DhcpOption FromAddress(DhcpOptionCode code, IPv4Address address)
    {
        var data = new byte[4];
        address.Write(data);
        return new DhcpOption(code, data);
    }

    public static DhcpOption FromAddresses(DhcpOptionCode code, IReadOnlyList<IPv4Address> addresses)
    {
        var data = new byte[addresses.Count * 4];
        for (int i = 0; i < addresses.Count; i++)
        {
            addresses[i].Write(data.AsSpan(i * 4));
        }
        return new DhcpOption(code, data);
    }

    public static DhcpOption FromByte(DhcpOptionCode code, byte value) => new(code, new[] { value });

    public static DhcpOption FromUInt16(DhcpOptionCode code, ushort value)
    {
        var data = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, value);
        return new DhcpOption(code, data);
    }

    public static DhcpOption FromUInt32(DhcpOptionCode code, uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, value);
        return new DhcpOption(code, data);
    }

    /// <summary>Text options are NVT ASCII (RFC 2132 2); characters outside ASCII become '?'.</summary>
    public static DhcpOption FromText(DhcpOptionCode code, string text) => new(code, Encoding.ASCII.GetBytes(text));

    public static DhcpOption FromCodes(DhcpOptionCode code, IReadOnlyList<DhcpOptionCode> codes)
    {
        var data = new byte[codes.Count];
        for (int i = 0; i < codes.Count; i++)
        {
            data[i] = (byte)codes[i];
        }
        return new DhcpOption(code, data);
    }

    public IPv4Address? AsAddress() =>
        Data.Length == 4 ? IPv4Address.Read(Data.Span) : null;

    public IReadOnlyList<IPv4Address>? AsAddresses()
    {
        if (Data.Length == 0 || Data.Length % 4 != 0)
        {
            return null;
        }
        var addresses = new IPv4Address[Data.Length / 4];
        for (int i = 0; i < addresses.Length; i++)
        {
            addresses[i] = IPv4Address.Read(Data.Span[(i * 4)..]);
        }
        return addresses;
    }

    public byte? AsByte() => Data.Length == 1 ? Data.Span[0] : null;

    public ushort? AsUInt16() => Data.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(Data.Span) : null;

    public uint? AsUInt32() => Data.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(Data.Span) : null;

    public int? AsInt32() => Data.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(Data.Span) : null;

    /// <summary>The text up to the first NUL: some clients terminate strings although RFC 2132 says not to.</summary>
    public string? AsText() => TextOf(Data.Span);

    /// <summary><see cref="AsText"/> over option data that is not in a <see cref="DhcpOption"/>.</summary>
    public static string? TextOf(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return null;
        }
        int nul = data.IndexOf((byte)0);
        return Encoding.ASCII.GetString(nul >= 0 ? data[..nul] : data);
    }

    public IReadOnlyList<DhcpOptionCode>? AsCodes()
    {
        if (Data.Length == 0)
        {
            return null;
        }
        var codes = new DhcpOptionCode[Data.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (DhcpOptionCode)Data.Span[i];
        }
        return codes;
    }

    /// <summary>The decoded value in a form a person reads (used by logs and the sniffer).</summary>
    public string FormatValue()
    {
        if (!HasValidLength)
        {
            return Convert.ToHexString(Data.Span);
        }
        return Format switch
        {
            DhcpOptionFormat.Address or DhcpOptionFormat.Addresses or DhcpOptionFormat.AddressPairs => string.Join(",", AsAddresses()!),
            DhcpOptionFormat.Byte or DhcpOptionFormat.Flag => AsByte()!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DhcpOptionFormat.UInt16 => AsUInt16()!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DhcpOptionFormat.UInt32 => AsUInt32()!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DhcpOptionFormat.Int32 => AsInt32()!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DhcpOptionFormat.Text => AsText()!,
            DhcpOptionFormat.OptionCodes => string.Join(",", Data.ToArray()),
            DhcpOptionFormat.MessageType => ((DhcpMessageType)Data.Span[0]).ToString(),
            _ => Convert.ToHexString(Data.Span),
        };
    }

    public override string ToString() => $"{Code}({(byte)Code})={FormatValue()}";
}
