using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetLab.Protocols.Dns;

/// <summary>The RDATA of a resource record: typed for A, AAAA, CNAME, NS, PTR, SOA, MX, TXT, SRV and OPT,
/// raw bytes for every other type (RFC 3597). <see cref="ToString"/> gives the master-file form dig prints.</summary>
public abstract record DnsRecordData
{
    /// <summary>Writes the RDATA (without RDLENGTH).</summary>
    public abstract bool TryWrite(ref DnsWriter writer);

    /// <summary>Reads RDATA of <paramref name="type"/> at <paramref name="offset"/>; names may point anywhere earlier
    /// in <paramref name="message"/> but must end inside the RDATA.</summary>
    public static bool TryRead(DnsRecordType type, ReadOnlySpan<byte> message, int offset, int length, [NotNullWhen(true)] out DnsRecordData? data)
    {
        data = null;
        if (offset + length > message.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> rdata = message.Slice(offset, length);
        switch (type)
        {
            case DnsRecordType.A when length == 4:
            case DnsRecordType.AAAA when length == 16:
                data = new DnsAddressData(new IPAddress(rdata));
                return true;
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                return false;
            case DnsRecordType.CNAME:
            case DnsRecordType.NS:
            case DnsRecordType.PTR:
                if (DnsName.TryRead(message, offset, out string? target, out int used) && used == length)
                {
                    data = new DnsNameData(target);
                    return true;
                }
                return false;
            case DnsRecordType.MX:
                if (length > 2 && DnsName.TryRead(message, offset + 2, out string? exchange, out used) && used == length - 2)
                {
                    data = new DnsMxData(BinaryPrimitives.ReadUInt16BigEndian(rdata), exchange);
                    return true;
                }
                return false;
            case DnsRecordType.SRV:
                if (length > 6 && DnsName.TryRead(message, offset + 6, out string? srvTarget, out used) && used == length - 6)
                {
                    data = new DnsSrvData(BinaryPrimitives.ReadUInt16BigEndian(rdata), BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]),
                        BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]), srvTarget);
                    return true;
                }
                return false;
            case DnsRecordType.SOA:
                return DnsSoaData.TryRead(message, offset, length, out data);
            case DnsRecordType.TXT:
                return DnsTxtData.TryRead(rdata, out data);
            case DnsRecordType.OPT:
                return DnsOptData.TryRead(rdata, out data);
            default:
                data = new DnsRawData(rdata.ToArray());
                return true;
        }
    }

    /// <summary>Appends bytes as a quoted character-string with \DDD escapes (RFC 1035 5.1).</summary>
    private protected static void AppendQuoted(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        builder.Append('"');
        foreach (byte b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                builder.Append('\\').Append((char)b);
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }
        builder.Append('"');
    }
}

/// <summary>A (RFC 1035 3.4.1) or AAAA (RFC 3596 2.2).</summary>
public sealed record DnsAddressData(IPAddress Address) : DnsRecordData
{
    public override bool TryWrite(ref DnsWriter writer)
    {
        Span<byte> bytes = stackalloc byte[16];
        return Address.TryWriteBytes(bytes, out int length) && writer.TryWriteBytes(bytes[..length]);
    }

    public DnsRecordType RecordType => Address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;

    public override string ToString() => Address.ToString();
}

/// <summary>CNAME, NS or PTR: one domain name (RFC 1035 3.3.1, 3.3.11, 3.3.12). Compressed on write (RFC 3597 4).</summary>
public sealed record DnsNameData(string Target) : DnsRecordData
{
    public override bool TryWrite(ref DnsWriter writer) => writer.TryWriteName(Target);

    public override string ToString() => DnsName.ToFqdn(Target);
}

/// <summary>MX (RFC 1035 3.3.9).</summary>
public sealed record DnsMxData(ushort Preference, string Exchange) : DnsRecordData
{
    public override bool TryWrite(ref DnsWriter writer) => writer.TryWriteUInt16(Preference) && writer.TryWriteName(Exchange);

    public override string ToString() => $"{Preference} {DnsName.ToFqdn(Exchange)}";
}

/// <summary>SRV (RFC 2782). Its target is never compressed on write (RFC 2782, "Target").</summary>
public sealed record DnsSrvData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData
{
    public override bool TryWrite(ref DnsWriter writer) =>
        writer.TryWriteUInt16(Priority) && writer.TryWriteUInt16(Weight) && writer.TryWriteUInt16(Port) && writer.TryWriteName(Target, compress: false);

    public override string ToString() => $"{Priority} {Weight} {Port} {DnsName.ToFqdn(Target)}";
}

/// <summary>SOA (RFC 1035 3.3.13). <see cref="Minimum"/> is the negative-caching TTL (RFC 2308 4).</summary>
public sealed record DnsSoaData(string PrimaryServer, string ResponsibleMailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum)
    : DnsRecordData
{
    private const int FixedLength = 20;

    public override bool TryWrite(ref DnsWriter writer) =>
        writer.TryWriteName(PrimaryServer) && writer.TryWriteName(ResponsibleMailbox) && writer.TryWriteUInt32(Serial)
        && writer.TryWriteUInt32(Refresh) && writer.TryWriteUInt32(Retry) && writer.TryWriteUInt32(Expire) && writer.TryWriteUInt32(Minimum);

    internal static bool TryRead(ReadOnlySpan<byte> message, int offset, int length, [NotNullWhen(true)] out DnsRecordData? data)
    {
        data = null;
        int end = offset + length;
        if (!DnsName.TryRead(message, offset, out string? primary, out int used))
        {
            return false;
        }
        offset += used;
        if (offset >= end || !DnsName.TryRead(message, offset, out string? mailbox, out used))
        {
            return false;
        }
        offset += used;
        if (end - offset != FixedLength)
        {
            return false;
        }
        ReadOnlySpan<byte> numbers = message.Slice(offset, FixedLength);
        data = new DnsSoaData(primary, mailbox, BinaryPrimitives.ReadUInt32BigEndian(numbers), BinaryPrimitives.ReadUInt32BigEndian(numbers[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(numbers[8..]), BinaryPrimitives.ReadUInt32BigEndian(numbers[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(numbers[16..]));
        return true;
    }

    public override string ToString() =>
        $"{DnsName.ToFqdn(PrimaryServer)} {DnsName.ToFqdn(ResponsibleMailbox)} {Serial} {Refresh} {Retry} {Expire} {Minimum}";
}

/// <summary>TXT (RFC 1035 3.3.14): one or more character-strings of up to 255 bytes. Each string holds the bytes
/// as Latin-1 characters (one char per byte), so any byte value round-trips.</summary>
public sealed record DnsTxtData(IReadOnlyList<string> Strings) : DnsRecordData
{
    public override bool TryWrite(ref DnsWriter writer)
    {
        foreach (string text in Strings)
        {
            if (text.Length > 255 || text.Any(c => c > 0xFF) || !writer.TryWriteUInt8((byte)text.Length)
                || !writer.TryWriteBytes(Encoding.Latin1.GetBytes(text)))
            {
                return false;
            }
        }
        return true;
    }

    internal static bool TryRead(ReadOnlySpan<byte> rdata, [NotNullWhen(true)] out DnsRecordData? data)
    {
        data = null;
        var strings = new List<string>();
        for (int position = 0; position < rdata.Length;)
        {
            int length = rdata[position];
            if (position + 1 + length > rdata.Length)
            {
                return false;
            }
            strings.Add(Encoding.Latin1.GetString(rdata.Slice(position + 1, length)));
            position += 1 + length;
        }
        // RFC 1035 3.3.14: at least one character-string.
        if (strings.Count == 0)
        {
            return false;
        }
        data = new DnsTxtData(strings);
        return true;
    }

    public bool Equals(DnsTxtData? other) => other is not null && Strings.SequenceEqual(other.Strings);

    public override int GetHashCode() => Strings.Count == 0 ? 0 : Strings[0].GetHashCode(StringComparison.Ordinal);

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (string text in Strings)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }
            AppendQuoted(builder, Encoding.Latin1.GetBytes(text));
        }
        return builder.ToString();
    }
}

/// <summary>One EDNS0 option (RFC 6891 6.1.2), for example COOKIE (10, RFC 7873).</summary>
public sealed record DnsEdnsOption(ushort Code, byte[] Data)
{
    public bool Equals(DnsEdnsOption? other) => other is not null && Code == other.Code && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Code, Data.Length);
}

/// <summary>The RDATA of the OPT pseudo-record (RFC 6891 6.1.2): a list of options. The UDP payload size, extended
/// RCODE, version and DO bit travel in the record's CLASS and TTL (see <see cref="DnsMessage"/>).</summary>
public sealed record DnsOptData(IReadOnlyList<DnsEdnsOption> Options) : DnsRecordData
{
    public override bool TryWrite(ref DnsWriter writer)
    {
        foreach (var option in Options)
        {
            if (option.Data.Length > ushort.MaxValue || !writer.TryWriteUInt16(option.Code)
                || !writer.TryWriteUInt16((ushort)option.Data.Length) || !writer.TryWriteBytes(option.Data))
            {
                return false;
            }
        }
        return true;
    }

    internal static bool TryRead(ReadOnlySpan<byte> rdata, [NotNullWhen(true)] out DnsRecordData? data)
    {
        data = null;
        var options = new List<DnsEdnsOption>();
        for (int position = 0; position < rdata.Length;)
        {
            if (position + 4 > rdata.Length)
            {
                return false;
            }
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(rdata[position..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rdata[(position + 2)..]);
            if (position + 4 + length > rdata.Length)
            {
                return false;
            }
            options.Add(new DnsEdnsOption(code, rdata.Slice(position + 4, length).ToArray()));
            position += 4 + length;
        }
        data = new DnsOptData(options);
        return true;
    }

    public bool Equals(DnsOptData? other) => other is not null && Options.SequenceEqual(other.Options);

    public override int GetHashCode() => Options.Count;

    public override string ToString() => string.Join(' ', Options.Select(o => $"{o.Code}:{Convert.ToHexString(o.Data)}"));
}

/// <summary>RDATA of a type without a typed form, kept as sent (RFC 3597 5: shown as <c>\# length hex</c>).</summary>
public sealed record DnsRawData(byte[] Data) : DnsRecordData
{
    public override bool TryWrite(ref DnsWriter writer) => writer.TryWriteBytes(Data);

    public bool Equals(DnsRawData? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => Data.Length;

    public override string ToString() =>
        Data.Length == 0 ? @"\# 0" : $@"\# {Data.Length.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexString(Data)}";
}
