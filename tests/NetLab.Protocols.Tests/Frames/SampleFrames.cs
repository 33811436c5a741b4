namespace NetLab.Protocols.Tests.Frames;

/// <summary>Real frames as hex, with where each came from, shared by the layer tests.</summary>
internal static class SampleFrames
{
    /// <summary>dns_tcp.pcap frame 1 (tcpdump test suite): 192.168.1.11.33779 > 209.87.249.18.53, SYN, DF, id 39720,
    /// IP checksum 0x1376, TCP cksum 0x0c41 (correct), seq 603899916, win 64240,
    /// options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7].</summary>
    public static readonly byte[] TcpSyn = Hex("""
        0011 2233 4466 0011 2233 4455 0800 4500
        003c 9b28 4000 4006 1376 c0a8 010b d157
        f912 83f3 0035 23fe c80c 0000 0000 a002
        faf0 0c41 0000 0204 05b4 0402 080a 79e2
        ca9a 0000 0000 0103 0307
        """);

    /// <summary>dns_tcp.pcap frame 2: the SYN-ACK, ttl 128, cksum 0xdded (correct), seq 2043824403, ack 603899917,
    /// options [mss 1460] followed by two End of Option List bytes.</summary>
    public static readonly byte[] TcpSynAck = Hex("""
        0011 2233 4455 0011 2233 4466 0800 4500
        002c 002e 0000 8006 ae80 d157 f912 c0a8
        010b 0035 83f3 79d2 4913 23fe c80d 6012
        faf0 dded 0000 0204 05b4 0000
        """);

    /// <summary>dns_udp.pcap frame 1: 192.168.1.11.43966 > 209.87.249.18.53, id 22989, ttl 64, UDP length 64,
    /// checksum 0x7824 ([udp sum ok]), a 56-byte DNS query.</summary>
    public static readonly byte[] DnsQueryUdp = Hex("""
        0011 2233 4466 0011 2233 4455 0800 4500
        0054 59cd 0000 4011 94ae c0a8 010b d157
        f912 abbe 0035 0040 7824 5934 0120 0001
        0000 0000 0001 0377 7777 0774 6370 6475
        6d70 036f 7267 0000 0100 0100 0029 1000
        0000 0000 000c 000a 0008 42f5 d009 96f9
        0b13
        """);

    /// <summary>dhcp-rfc4388.pcap: "Request who-has 10.40.1.1 tell 10.40.2.3", padded to the 60-byte Ethernet minimum.</summary>
    public static readonly byte[] ArpRequestPadded = Hex("""
        7483 ef07 d0a9 a682 4bc9 a1a7 0806 0001
        0800 0604 0001 a682 4bc9 a1a7 0a28 0203
        0000 0000 0000 0a28 0101 0000 0000 0000
        0000 0000 0000 0000 0000 0000
        """);

    /// <summary>dhcp-rfc4388.pcap: "Reply 10.40.1.1 is-at 74:83:ef:07:d0:a9".</summary>
    public static readonly byte[] ArpReply = Hex("""
        a682 4bc9 a1a7 7483 ef07 d0a9 0806 0001
        0800 0604 0002 7483 ef07 d0a9 0a28 0101
        a682 4bc9 a1a7 0a28 0203
        """);

    /// <summary>Captured on lo in a private namespace: a Linux ping socket's echo request, id 1047, seq 7,
    /// checksum 0xf505 computed by the kernel, data "NetLab echo test".</summary>
    public static readonly byte[] IcmpEchoRequest = Hex("""
        0000 0000 0000 0000 0000 0000 0800 4500
        002c 94f0 4000 4001 a7de 7f00 0001 7f00
        0001 0800 f505 0417 0007 4e65 744c 6162
        2065 6368 6f20 7465 7374
        """);

    /// <summary>The kernel's echo reply to <see cref="IcmpEchoRequest"/>: checksum 0xfd05.</summary>
    public static readonly byte[] IcmpEchoReply = Hex("""
        0000 0000 0000 0000 0000 0000 0800 4500
        002c 94f1 0000 4001 e7dd 7f00 0001 7f00
        0001 0000 fd05 0417 0007 4e65 744c 6162
        2065 6368 6f20 7465 7374
        """);

    /// <summary>Captured on lo: the kernel's "udp port 9 unreachable" (tos 0xc0, checksum 0xa0b0) quoting the
    /// datagram 127.0.0.1.60335 > 127.0.0.1.9 (id 8000, DF, length 31, payload "hi\n").</summary>
    public static readonly byte[] IcmpPortUnreachable = Hex("""
        0000 0000 0000 0000 0000 0000 0800 45c0
        003b f265 0000 4001 899a 7f00 0001 7f00
        0001 0303 a0b0 0000 0000 4500 001f 1f40
        4000 4011 1d8c 7f00 0001 7f00 0001 ebaf
        0009 000b fe1e 6869 0a
        """);

    /// <summary>Captured on lo: a Linux ping socket's ICMPv6 echo request ::1 > ::1, flow label 0x30baf, hop limit 64,
    /// id 10514, seq 3, checksum 0xdc12 over the IPv6 pseudo-header ([icmp6 sum ok]), data "NetLab v6".</summary>
    public static readonly byte[] IcmpV6EchoRequest = Hex("""
        0000 0000 0000 0000 0000 0000 86dd 6003
        0baf 0011 3a40 0000 0000 0000 0000 0000
        0000 0000 0001 0000 0000 0000 0000 0000
        0000 0000 0001 8000 dc12 2912 0003 4e65
        744c 6162 2076 36
        """);

    /// <summary>Built and checked with tshark ("udp.checksum.status: Good"): 2001:db8::1.5353 > 2001:db8::53.53,
    /// "NetLab v6 udp", checksum 0x2ed1.</summary>
    public static readonly byte[] UdpV6 = Hex("""
        020000000053020000000001 86dd 6000 0000 0015 1140
        20010db8000000000000000000000001 20010db8000000000000000000000053
        14e9 0035 0015 2ed1 4e65744c616220763620756470
        """);

    public static byte[] Hex(string text) => Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
}
