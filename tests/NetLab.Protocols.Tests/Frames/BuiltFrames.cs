using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Tests.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Frames;

/// <summary>Frames made with our own writers, for the fuzz seeds and for tcpdump and tshark to judge.</summary>
internal static class BuiltFrames
{
    public static readonly MacAddress ClientMac = MacAddress.Parse("02:00:00:00:00:01");
    public static readonly MacAddress ServerMac = MacAddress.Parse("02:00:00:00:00:02");

    /// <summary>A 300-byte BOOTP DISCOVER-like payload: op 1, htype 1, hlen 6, xid 0x3903f326, chaddr, magic
    /// cookie, option 53 = 1 (DISCOVER), end.</summary>
    public static byte[] DhcpLikePayload()
    {
        var payload = new byte[300];
        payload[0] = 1;
        payload[1] = 1;
        payload[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), 0x3903F326);
        ClientMac.Write(payload.AsSpan(28));
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(236), 0x63825363);
        SampleFrames.Hex("350101ff").CopyTo(payload, 240);
        return payload;
    }

    /// <summary>The broadcast DISCOVER of a client without an address: 0.0.0.0:68 to 255.255.255.255:67.</summary>
    public static byte[] DhcpLikeDiscover() =>
        FrameBuilder.BuildUdp(ClientMac, MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast, 68, 67, DhcpLikePayload());

    /// <summary>The same frame with an 802.1Q tag (priority 1, VLAN 100) inserted after the source address.</summary>
    public static byte[] Tagged(byte[] frame) => [.. frame[..12], 0x81, 0x00, 0x20, 0x64, .. frame[12..]];

    /// <summary>Ethernet / IPv4 with a Router Alert option / TCP with MSS, SACK-permitted, timestamps, window scale
    /// and two SACK blocks, carrying "USER", checksums filled.</summary>
    public static byte[] TcpWithEveryOption()
    {
        var source = IPv4Address.Parse("192.168.10.100");
        var destination = IPv4Address.Parse("192.168.10.1");
        var tcp = new TcpHeader
        {
            SourcePort = 50000,
            DestinationPort = 21,
            Sequence = 1,
            Acknowledgment = 2,
            Flags = TcpFlags.Ack | TcpFlags.Psh,
            Window = 502,
            Mss = 1460,
            SackPermitted = true,
            Timestamp = new TcpTimestamp(1, 2),
            WindowScale = 7,
            SackBlocks = new TcpSackBlocks([new(100, 200), new(300, 400)]),
        };
        var frame = new byte[14 + 24 + tcp.GetWrittenLength() + 4];
        WriteEthernet(frame, EtherType.IPv4);
        new IPv4Header { TotalLength = (ushort)(frame.Length - 14), Ttl = 64, Protocol = IpProtocol.Tcp, Source = source, Destination = destination }
            .TryWrite(frame.AsSpan(14), SampleFrames.Hex("94040000"), out _);
        Assert.True(tcp.TryWrite(frame.AsSpan(38), out int tcpLength));
        "USER"u8.CopyTo(frame.AsSpan(38 + tcpLength));
        TransportChecksum.FillIPv4(source, destination, IpProtocol.Tcp, frame.AsSpan(38));
        return frame;
    }

    /// <summary>A router's "time exceeded in transit" quoting the first 28 bytes of the captured TCP SYN's datagram.</summary>
    public static byte[] IcmpTimeExceeded()
    {
        byte[] quoted = SampleFrames.TcpSyn[14..42];
        var frame = new byte[14 + 20 + 8 + quoted.Length];
        WriteEthernet(frame, EtherType.IPv4);
        new IPv4Header
        {
            Dscp = 48,
            TotalLength = (ushort)(frame.Length - 14),
            Ttl = 255,
            Protocol = IpProtocol.Icmp,
            Source = IPv4Address.Parse("192.168.1.1"),
            Destination = IPv4Address.Parse("192.168.1.11"),
        }.TryWrite(frame.AsSpan(14), out _);
        new IcmpV4Message { Type = IcmpV4Type.TimeExceeded, Code = (byte)IcmpV4TimeExceededCode.TtlExceededInTransit }
            .TryWrite(frame.AsSpan(34), quoted, out _);
        return frame;
    }

    /// <summary>Ethernet / IPv6 / TCP SYN with MSS and window scale between two link-local addresses.</summary>
    public static byte[] IPv6TcpSyn()
    {
        var tcp = new TcpHeader { SourcePort = 40001, DestinationPort = 22, Sequence = 7, Flags = TcpFlags.Syn, Window = 64800, Mss = 1440, WindowScale = 7 };
        int tcpLength = tcp.GetWrittenLength();
        var ip = new IPv6Header
        {
            PayloadLength = (ushort)tcpLength,
            NextHeader = IpProtocol.Tcp,
            HopLimit = 64,
            Source = IPv6Address.Parse("fe80::1"),
            Destination = IPv6Address.Parse("fe80::2"),
        };
        var frame = new byte[14 + 40 + tcpLength];
        WriteEthernet(frame, EtherType.IPv6);
        ip.TryWrite(frame.AsSpan(14), out _);
        tcp.TryWrite(frame.AsSpan(54), out _);
        TransportChecksum.FillIPv6(ip.Source, ip.Destination, IpProtocol.Tcp, frame.AsSpan(54));
        return frame;
    }

    /// <summary>Ethernet / IPv6 with five extension headers (one a first fragment) / UDP.</summary>
    public static byte[] IPv6ExtensionChain() =>
        [.. SampleFrames.Hex("333300000001 020000000001 86dd"), .. IPv6HeaderTests.BuildPacket(IpProtocol.HopByHopOptions, IPv6HeaderTests.ExtensionChain)];

    private static void WriteEthernet(Span<byte> frame, EtherType type) =>
        new EthernetHeader { Destination = ServerMac, Source = ClientMac, EtherType = type }.TryWrite(frame, out _);
}
