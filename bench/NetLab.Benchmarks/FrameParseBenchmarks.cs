using BenchmarkDotNet.Attributes;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Benchmarks;

/// <summary>The L2-L4 paths a capture loop runs per frame: UdpFrame (what the DHCP server does per received
/// frame, UDP checksum included), a TCP SYN with its options, the IPv6 extension header walk, and building the
/// broadcast DISCOVER frame. All of them should allocate nothing.</summary>
[MemoryDiagnoser]
public class FrameParseBenchmarks
{
    private static readonly MacAddress ClientMac = MacAddress.Parse("02:00:00:00:00:01");

    // dns_tcp.pcap frame 1 from the tcpdump test suite: a Linux SYN with mss, sackOK, TS, nop, wscale.
    private readonly byte[] _tcpSyn = Convert.FromHexString(
        "00112233446600112233445508004500003c9b28400040061376c0a8010bd157"
        + "f91283f3003523fec80c00000000a002faf00c410000020405b40402080a79e2ca9a0000000001030307");

    private readonly byte[] _dhcpDiscover = FrameBuilder.BuildUdp(ClientMac, MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast, 68, 67, new byte[300]);

    // IPv6 with Hop-by-Hop, Routing, Fragment and Destination Options headers, then UDP.
    private readonly byte[] _ipv6Chain = Convert.FromHexString(
        "60000000002a004020010db800000000000000000000000120010db8000000000000000000000053"
        + "2b00010400000000" + "2c00040000000000" + "3c00000112345678" + "1100010400000000" + "04d20035000a00006869");

    private readonly byte[] _buffer = new byte[1514];

    [Benchmark(Baseline = true)]
    public int UdpFrameWithChecksums() =>
        UdpFrame.TryParse(_dhcpDiscover, out var udp) && udp.ChecksumsValid ? udp.PayloadLength : -1;

    [Benchmark]
    public int TcpSynHeadersAndOptions()
    {
        if (!EthernetHeader.TryRead(_tcpSyn, out _, out int offset) || !IPv4Header.TryRead(_tcpSyn.AsSpan(offset), out _, out int ipLength)
            || !TcpHeader.TryRead(_tcpSyn.AsSpan(offset + ipLength), out var tcp, out _))
        {
            return -1;
        }
        return (tcp.Mss ?? 0) + (tcp.WindowScale ?? 0);
    }

    [Benchmark]
    public bool TcpSynChecksum()
    {
        IPv4Header.TryRead(_tcpSyn.AsSpan(14), out var ip, out int ipLength);
        return TransportChecksum.VerifyIPv4(ip.Source, ip.Destination, IpProtocol.Tcp, _tcpSyn.AsSpan(14 + ipLength));
    }

    [Benchmark]
    public int IPv6ExtensionChainWalk() => IPv6Header.TryFindUpperLayer(_ipv6Chain, out var upper) ? upper.Offset : -1;

    [Benchmark]
    public int BuildDhcpDiscoverFrame() =>
        FrameBuilder.WriteUdp(_buffer, ClientMac, MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast, 68, 67, _dhcpDiscover.AsSpan(42));
}
