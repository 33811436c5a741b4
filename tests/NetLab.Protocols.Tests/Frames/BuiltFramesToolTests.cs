using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Frames;
using NetLab.Testing;

namespace NetLab.Protocols.Tests.Frames;

/// <summary>Frames from our writers, saved to a pcap file and judged by tcpdump and tshark.</summary>
public sealed class BuiltFramesToolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netlab-proto-").FullName;

    private static byte[][] Frames() =>
    [
        BuiltFrames.DhcpLikeDiscover(),
        FrameBuilder.BuildUdp(BuiltFrames.ServerMac, BuiltFrames.ClientMac, IPv4Address.Parse("192.168.10.1"), IPv4Address.Parse("192.168.10.100"), 67, 68, BuiltFrames.DhcpLikePayload()),
        FrameBuilder.BuildArp(BuiltFrames.ClientMac, MacAddress.Broadcast, new ArpPacket
        {
            Operation = ArpOperation.Request,
            SenderMac = BuiltFrames.ClientMac,
            SenderIp = IPv4Address.Parse("192.168.10.100"),
            TargetIp = IPv4Address.Parse("192.168.10.1"),
        }),
        BuiltFrames.TcpWithEveryOption(),
        BuiltFrames.IcmpTimeExceeded(),
        BuiltFrames.IPv6TcpSyn(),
        BuiltFrames.Tagged(BuiltFrames.DhcpLikeDiscover()),
    ];

    private string WriteCapture()
    {
        string path = Path.Combine(_directory, "built.pcap");
        using var writer = PcapFileWriter.Create(path);
        foreach (byte[] frame in Frames())
        {
            writer.Write(DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000), frame);
        }
        return path;
    }

    [ToolFact("tcpdump")]
    public void Tcpdump_BuiltFrames_ReportsEveryChecksumCorrect()
    {
        var result = Shell.Run("tcpdump", ["-nn", "-vv", "-e", "-S", "-r", WriteCapture()], TimeSpan.FromSeconds(30));
        string output = result.Stdout;

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("bad", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("wrong", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("incorrect", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0.0.0.0.68 > 255.255.255.255.67: [udp sum ok] BOOTP/DHCP, Request from 02:00:00:00:00:01", output);
        Assert.Contains("192.168.10.1.67 > 192.168.10.100.68: [udp sum ok] BOOTP/DHCP", output);
        Assert.Contains("Request who-has 192.168.10.1 tell 192.168.10.100", output);
        Assert.Contains("options [mss 1460,sackOK,TS val 1 ecr 2,wscale 7,sack 2 {100:200}{300:400}", output);
        Assert.Contains("proto TCP (6), length 88, options (RA))", output);
        Assert.Contains("ICMP time exceeded in-transit", output);
        Assert.Contains("vlan 100, p 1", output);
        Assert.Equal(2, CountOccurrences(output, "(correct)")); // the IPv4 and IPv6 TCP checksums
        Assert.Equal(3, CountOccurrences(output, "[udp sum ok]"));
    }

    [ToolFact("tshark")]
    public void Tshark_BuiltFrames_ValidatesEveryChecksumAndDecodesDhcp()
    {
        string path = WriteCapture();
        var result = Shell.Run("tshark", ["-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-T", "fields", "-E", "occurrence=f", "-e", "frame.protocols", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
            "-e", "tcp.checksum.status", "-e", "icmp.checksum.status", "-e", "_ws.expert.severity"], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        string[][] rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToArray();

        Assert.Equal(Frames().Length, rows.Length);
        Assert.All(rows, row => Assert.All(row[1..5], status => Assert.True(status is "" or "1", $"{row[0]}: checksum status {status}")));
        Assert.Equal("eth:ethertype:ip:udp:dhcp", rows[0][0]);
        Assert.Equal("eth:ethertype:ip:udp:dhcp", rows[1][0]);
        Assert.Equal("eth:ethertype:arp", rows[2][0]);
        Assert.StartsWith("eth:ethertype:ip:tcp", rows[3][0], StringComparison.Ordinal);
        Assert.StartsWith("eth:ethertype:ip:icmp:ip:tcp", rows[4][0], StringComparison.Ordinal);
        Assert.Equal("eth:ethertype:ipv6:tcp", rows[5][0]);
        Assert.Equal("eth:ethertype:vlan:ethertype:ip:udp:dhcp", rows[6][0]);
        Assert.Equal(["1", "1", "", "1", "1", "", "1"], rows.Select(row => row[1]).ToArray());
        Assert.Equal(["1", "1", "", "", "", "", "1"], rows.Select(row => row[2]).ToArray());
        Assert.Equal(["", "", "", "1", "", "1", ""], rows.Select(row => row[3]).ToArray());
        Assert.Equal("1", rows[4][4]);
    }

    private static int CountOccurrences(string text, string value) => text.Split(value).Length - 1;

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
