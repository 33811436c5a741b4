using System.Buffers.Binary;
using NetLab.Protocols.Addressing;

namespace NetLab.Protocols.Ethernet;

/// <summary>An Ethernet II header, optionally with one IEEE 802.1Q tag (TPID 0x8100 then the TCI).</summary>
public readonly struct EthernetHeader
{
    /// <summary>Destination, source and EtherType.</summary>
    public const int UntaggedLength = 14;
    /// <summary>With the four-byte 802.1Q tag between the source address and the EtherType.</summary>
    public const int TaggedLength = 18;
    /// <summary>IEEE 802.3: EtherType values below this are length fields (802.3 / LLC frames).</summary>
    public const ushort MinimumEtherType = 0x0600;

    public MacAddress Destination { get; init; }
    public MacAddress Source { get; init; }
    /// <summary>The EtherType of the payload (the inner one when the frame is tagged).</summary>
    public EtherType EtherType { get; init; }
    /// <summary>The 802.1Q tag control information (PCP, DEI, VLAN id), or null when untagged.</summary>
    public ushort? VlanTci { get; init; }

    public int? VlanId => VlanTci is { } tci ? tci & 0x0FFF : null;
    public int? VlanPriority => VlanTci is { } tci ? tci >> 13 : null;
    /// <summary>True for 802.3 frames, whose type field holds a payload length instead.</summary>
    public bool IsLengthField => (ushort)EtherType < MinimumEtherType;

    /// <summary>Bytes of header on the wire: 14, or 18 with the 802.1Q tag.</summary>
    public int Length => VlanTci is null ? UntaggedLength : TaggedLength;

    public static bool TryRead(ReadOnlySpan<byte> source, out EthernetHeader header, out int bytesRead)
    {
        header = default;
        bytesRead = 0;
        if (source.Length < UntaggedLength)
        {
            return false;
        }
        var type = (EtherType)BinaryPrimitives.ReadUInt16BigEndian(source[12..]);
        ushort? tci = null;
        int length = UntaggedLength;
        if (type == EtherType.Vlan)
        {
            if (source.Length < TaggedLength)
            {
                return false;
            }
            tci = BinaryPrimitives.ReadUInt16BigEndian(source[14..]);
            type = (EtherType)BinaryPrimitives.ReadUInt16BigEndian(source[16..]);
            length = TaggedLength;
        }
        header = new EthernetHeader
        {
            Destination = MacAddress.Read(source),
            Source = MacAddress.Read(source[6..]),
            EtherType = type,
            VlanTci = tci,
        };
        bytesRead = length;
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Length)
        {
            return false;
        }
        Destination.Write(destination);
        Source.Write(destination[6..]);
        int offset = 12;
        if (VlanTci is { } tci)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)EtherType.Vlan);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], tci);
            offset += 4;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)EtherType);
        bytesWritten = offset + 2;
        return true;
    }
}
