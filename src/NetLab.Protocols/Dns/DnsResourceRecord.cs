using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NetLab.Protocols.Dns;

/// <summary>A resource record (RFC 1035 4.1.3). For OPT, <see cref="Class"/> carries the UDP payload size and
/// <see cref="Ttl"/> the extended RCODE, version and flags (RFC 6891 6.1.3).</summary>
public sealed record DnsResourceRecord(string Name, DnsRecordType Type, DnsClass Class, uint Ttl, DnsRecordData Data)
{
    /// <summary>NAME is followed by TYPE, CLASS, TTL and RDLENGTH.</summary>
    private const int FixedLength = 10;

    public static bool TryRead(ReadOnlySpan<byte> message, int offset, [NotNullWhen(true)] out DnsResourceRecord? record, out int bytesRead)
    {
        record = null;
        bytesRead = 0;
        if (!DnsName.TryRead(message, offset, out string? name, out int nameLength) || offset + nameLength + FixedLength > message.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> fixedPart = message.Slice(offset + nameLength, FixedLength);
        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(fixedPart);
        var recordClass = (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(fixedPart[2..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(fixedPart[4..]);
        int rdataLength = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[8..]);
        int rdataOffset = offset + nameLength + FixedLength;
        if (!DnsRecordData.TryRead(type, message, rdataOffset, rdataLength, out var data))
        {
            return false;
        }
        record = new DnsResourceRecord(name, type, recordClass, ttl, data);
        bytesRead = nameLength + FixedLength + rdataLength;
        return true;
    }

    public bool TryWrite(ref DnsWriter writer) => TryWrite(ref writer, Ttl);

    internal bool TryWrite(ref DnsWriter writer, uint ttl)
    {
        if (!writer.TryWriteName(Name) || !writer.TryWriteUInt16((ushort)Type) || !writer.TryWriteUInt16((ushort)Class)
            || !writer.TryWriteUInt32(ttl))
        {
            return false;
        }
        int lengthOffset = writer.Position;
        if (!writer.TryWriteUInt16(0) || !Data.TryWrite(ref writer))
        {
            return false;
        }
        int rdataLength = writer.Position - lengthOffset - 2;
        if (rdataLength > ushort.MaxValue)
        {
            return false;
        }
        writer.PatchUInt16(lengthOffset, (ushort)rdataLength);
        return true;
    }

    /// <summary>Master-file form, as dig prints a record: <c>name. TTL CLASS TYPE RDATA</c>.</summary>
    public override string ToString() =>
        $"{DnsName.ToFqdn(Name)}\t{Ttl.ToString(CultureInfo.InvariantCulture)}\t{Class}\t{DnsMessage.TypeName(Type)}\t{Data}";
}
