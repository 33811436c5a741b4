using System.Globalization;
using NetLab.Pcap;
using NetLab.Protocols.IP;
using NetLab.Testing;

namespace NetLab.Protocols.Tests.Frames;

/// <summary>Every frame of every Ethernet capture in the tcpdump test suite, decoded by us and by tshark, field by field.</summary>
public class TcpdumpCaptureTests
{
    private static readonly string[] TsharkFields =
    [
        "ip.src", "ip.dst", "ip.ttl", "ip.id", "ip.proto", "ip.checksum.status",
        "udp.srcport", "udp.dstport", "udp.length", "udp.checksum.status",
        "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.window_size_value",
        "tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.sack_perm", "tcp.options.timestamp.tsval", "tcp.checksum.status",
        "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
        "ipv6.src", "ipv6.dst",
    ];

    [ToolFact("tshark")]
    public void EveryCapturedFrame_DecodesAsTsharkDecodesIt()
    {
        var mismatches = new List<string>();
        int framesCompared = 0;
        var captures = Directory.EnumerateFiles(Repo.TcpdumpCaptures)
            .Where(path => path.EndsWith(".pcap", StringComparison.Ordinal) || path.EndsWith(".pcapng", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(captures);

        foreach (string path in captures)
        {
            using (var reader = PcapFileReader.Open(path))
            {
                if (reader.LinkType != LinkType.Ethernet)
                {
                    continue;
                }
            }
            var frames = PcapFileReader.ReadAll(path).ToList();
            var expected = ReadTshark(path);
            Assert.Equal(expected.Count, frames.Count);
            for (int i = 0; i < frames.Count; i++)
            {
                var report = LayerWalker.Walk(frames[i].Data);
                foreach (var (field, tsharkValue, ours) in Compare(expected[i], report))
                {
                    if (tsharkValue != ours)
                    {
                        mismatches.Add($"{Path.GetFileName(path)} frame {i + 1} {field}: tshark '{tsharkValue}', NetLab '{ours}'");
                    }
                }
                framesCompared++;
            }
        }

        Assert.True(framesCompared > 150, $"only {framesCompared} frames compared");
        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    private static IEnumerable<(string Field, string Tshark, string Ours)> Compare(Dictionary<string, string> tshark, LayerReport report)
    {
        if (report.Arp is { } arp)
        {
            yield return ("arp.opcode", tshark["arp.opcode"], ((int)arp.Operation).ToString(CultureInfo.InvariantCulture));
            yield return ("arp.src.proto_ipv4", tshark["arp.src.proto_ipv4"], arp.SenderIp.ToString());
            yield return ("arp.dst.proto_ipv4", tshark["arp.dst.proto_ipv4"], arp.TargetIp.ToString());
        }
        if (report.IPv6 is { } ipv6)
        {
            yield return ("ipv6.src", tshark["ipv6.src"], ipv6.Source.ToString());
            yield return ("ipv6.dst", tshark["ipv6.dst"], ipv6.Destination.ToString());
        }
        if (report.IPv4 is not { } ip)
        {
            yield return ("ip.src", tshark["ip.src"], "");
            yield break;
        }
        yield return ("ip.src", tshark["ip.src"], ip.Source.ToString());
        yield return ("ip.dst", tshark["ip.dst"], ip.Destination.ToString());
        yield return ("ip.ttl", tshark["ip.ttl"], Decimal(ip.Ttl));
        yield return ("ip.id", tshark["ip.id"], Hex(ip.Identification, 4));
        yield return ("ip.proto", tshark["ip.proto"], Decimal((byte)ip.Protocol));
        yield return ("ip.checksum.status", tshark["ip.checksum.status"], ip.HeaderChecksumValid ? "1" : "0");
        string transportStatus = report.TransportChecksumValid switch { true => "1", false => "0", null => "2" };
        if (ip.Protocol == IpProtocol.Udp && report.Udp is { } udp)
        {
            yield return ("udp.srcport", tshark["udp.srcport"], Decimal(udp.SourcePort));
            yield return ("udp.dstport", tshark["udp.dstport"], Decimal(udp.DestinationPort));
            yield return ("udp.length", tshark["udp.length"], Decimal(udp.TotalLength));
            // tshark leaves a zero ("none") checksum unverified; RFC 768 lets us count it as valid.
            if (tshark["udp.checksum.status"] is "0" or "1")
            {
                yield return ("udp.checksum.status", tshark["udp.checksum.status"], transportStatus);
            }
        }
        if (ip.Protocol == IpProtocol.Tcp && report.Tcp is { } tcp)
        {
            yield return ("tcp.srcport", tshark["tcp.srcport"], Decimal(tcp.SourcePort));
            yield return ("tcp.dstport", tshark["tcp.dstport"], Decimal(tcp.DestinationPort));
            yield return ("tcp.seq_raw", tshark["tcp.seq_raw"], Decimal(tcp.Sequence));
            yield return ("tcp.ack_raw", tshark["tcp.ack_raw"], Decimal(tcp.Acknowledgment));
            yield return ("tcp.flags", tshark["tcp.flags"], Hex((int)tcp.Flags, 4));
            yield return ("tcp.window_size_value", tshark["tcp.window_size_value"], Decimal(tcp.Window));
            yield return ("tcp.options.mss_val", tshark["tcp.options.mss_val"], tcp.Mss is { } mss ? Decimal(mss) : "");
            yield return ("tcp.options.wscale.shift", tshark["tcp.options.wscale.shift"], tcp.WindowScale is { } shift ? Decimal(shift) : "");
            yield return ("tcp.options.sack_perm", tshark["tcp.options.sack_perm"].Length > 0 ? "yes" : "", tcp.SackPermitted ? "yes" : "");
            yield return ("tcp.options.timestamp.tsval", tshark["tcp.options.timestamp.tsval"], tcp.Timestamp is { } ts ? Decimal(ts.Value) : "");
            if (tshark["tcp.checksum.status"] is "0" or "1")
            {
                yield return ("tcp.checksum.status", tshark["tcp.checksum.status"], transportStatus);
            }
        }
    }

    private static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Hex(int value, int digits) => "0x" + value.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The outermost occurrence of each field, per frame, with tshark verifying every checksum it can.</summary>
    private static List<Dictionary<string, string>> ReadTshark(string path)
    {
        List<string> args = ["-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-T", "fields", "-E", "occurrence=f", "-E", "separator=/t"];
        foreach (string field in TsharkFields)
        {
            args.Add("-e");
            args.Add(field);
        }
        var result = Shell.Run("tshark", args, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"tshark -r {path} failed: {result.Output}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string[] values = line.Split('\t');
            return TsharkFields.Select((field, i) => (field, value: i < values.Length ? values[i] : ""))
                .ToDictionary(pair => pair.field, pair => pair.value);
        }).ToList();
    }
}
