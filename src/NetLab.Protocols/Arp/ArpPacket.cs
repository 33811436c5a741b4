using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Ethernet;

namespace NetLab.Protocols.Arp;

/// <summary>An ARP packet for Ethernet hardware and IPv4 protocol addresses (RFC 826), the only pairing in use.</summary>
public readonly struct ArpPacket
{
    public const int Length = 28;
    /// <summary>ARP hardware type 1: Ethernet (10Mb), used by every Ethernet-like link.</summary>
    public const ushort EthernetHardwareType = 1;

    public ArpOperation Operation { get; init; }
    public MacAddress SenderMac { get; init; }
    public IPv4Address SenderIp { get; init; }
    public MacAddress TargetMac { get; init; }
    public IPv4Address TargetIp { get; init; }

    /// <summary>A gratuitous ARP announces the sender's own address: sender and target IP are the same (RFC 5227 section 3).</summary>
    public bool IsGratuitous => SenderIp == TargetIp;

    /// <summary>Reads an Ethernet/IPv4 ARP packet; any other hardware or protocol type, or address sizes, is rejected.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ArpPacket packet, out int bytesRead)
    {
        packet = default;
        bytesRead = 0;
        if (source.Length < Length
            || BinaryPrimitives.ReadUInt16BigEndian(source) != EthernetHardwareType
            || BinaryPrimitives.ReadUInt16BigEndian(source[2..]) != (ushort)EtherType.IPv4
            || source[4] != MacAddress.Length
            || source[5] != IPv4Address.Length)
        {
            return false;
        }
        packet = new ArpPacket
        {
            Operation = (ArpOperation)BinaryPrimitives.ReadUInt16BigEndian(source[6..]),
            SenderMac = MacAddress.Read(source[8..]),
            SenderIp = IPv4Address.Read(source[14..]),
            TargetMac = MacAddress.Read(source[18..]),
            TargetIp = IPv4Address.Read(source[24..]),
        };
        bytesRead = Length;
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Length)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, EthernetHardwareType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)EtherType.IPv4);
        destination[4] = MacAddress.Length;
        destination[5] = IPv4Address.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)Operation);
        SenderMac.Write(destination[8..]);
        SenderIp.Write(destination[14..]);
        TargetMac.Write(destination[18..]);
        TargetIp.Write(destination[24..]);
        bytesWritten = Length;
        return true;
    }
}
