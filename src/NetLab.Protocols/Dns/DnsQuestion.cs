using System.Buffers.Binary;

namespace NetLab.Protocols.Dns;

/// <summary>A question entry: QNAME, QTYPE, QCLASS (RFC 1035 4.1.2).</summary>
public readonly record struct DnsQuestion(string Name, DnsRecordType Type, DnsClass Class = DnsClass.IN)
{
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, out DnsQuestion question, out int bytesRead)
    {
        question = default;
        bytesRead = 0;
        if (!DnsName.TryRead(message, offset, out string? name, out int nameLength) || offset + nameLength + 4 > message.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> fixedPart = message.Slice(offset + nameLength, 4);
        question = new DnsQuestion(name, (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(fixedPart),
            (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(fixedPart[2..]));
        bytesRead = nameLength + 4;
        return true;
    }

    public bool TryWrite(ref DnsWriter writer) =>
        writer.TryWriteName(Name) && writer.TryWriteUInt16((ushort)Type) && writer.TryWriteUInt16((ushort)Class);

    public override string ToString() => $"{DnsName.ToFqdn(Name)} {Class} {DnsMessage.TypeName(Type)}";
}
