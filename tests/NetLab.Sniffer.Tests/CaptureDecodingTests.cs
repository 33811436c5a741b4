using System.Text;
using System.Text.RegularExpressions;
using NetLab.Sniffer.Analysis;
using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Output;
using NetLab.Sniffer.Reporting;
using NetLab.Testing;

namespace NetLab.Sniffer.Tests;

/// <summary>The shared tcpdump test captures: all decode, the one-line output carries tcpdump's fields, and
/// the layer stack matches tshark's frame.protocols frame by frame.</summary>
public sealed partial class CaptureDecodingTests
{
    public static TheoryData<string> Captures() => new(TestFrames.CaptureFiles().Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveryCapture_DecodesPrintsAndReports_WithoutException(string file)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, file);
        var frames = TestFrames.DecodeCapture(path);
        Assert.NotEmpty(frames);
        var analyzer = new CaptureAnalyzer([]);
        var text = new StringBuilder();
        foreach (var frame in frames)
        {
            Assert.NotEmpty(frame.Layers);
            Assert.False(string.IsNullOrWhiteSpace(frame.Summary));
            analyzer.Observe(frame);
            FrameWriter.AppendTree(text, frame);
            FrameWriter.AppendHex(text, frame);
        }
        var report = analyzer.BuildReport(file, null, null, null);
        Assert.Equal(frames.Count, report.Frames);
        Assert.Equal(frames.Count, report.ProtocolHierarchy.Where(n => n.Depth == 0).Sum(n => n.Frames));
        foreach (var format in Enum.GetValues<ReportFormat>())
        {
            Assert.NotEmpty(ReportRenderer.Render(report, format));
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveryTruncationOfEveryFrame_DecodesAsAPrefixOrMarksTheCut(string file)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, file);
        using var reader = NetLab.Pcap.PcapFileReader.Open(path);
        var linkType = reader.LinkType;
        var whole = TestFrames.DecodeCapture(path, detailed: false);
        var decoder = new FrameDecoder(new DecoderOptions { Detailed = true });
        foreach (var frame in whole)
        {
            for (int length = 0; length < frame.Data.Length; length++)
            {
                var cut = decoder.Decode(frame.Number, frame.Timestamp, frame.OriginalLength, frame.Data[..length], linkType);
                Assert.False(string.IsNullOrEmpty(cut.Summary));
                Assert.True(cut.IsMalformed || frame.ProtocolPath.StartsWith(cut.ProtocolPath, StringComparison.Ordinal),
                    $"frame {frame.Number} cut to {length} bytes decodes as {cut.ProtocolPath}, whole as {frame.ProtocolPath}");
            }
        }
    }

    /// <summary>Captures whose .out tcpdump made without verbosity flags (TESTLIST), so the line format is the default one.</summary>
    [Theory]
    [InlineData("dns_udp.pcap", "dns_udp.out")]
    [InlineData("dns_tcp.pcap", "dns_tcp.out")]
    [InlineData("dns-badcookie.pcap", "dns-badcookie.out")]
    [InlineData("dns-badvers.pcap", "dns-badvers.out")]
    [InlineData("dns-uri.pcap", "dns-uri.out")]
    [InlineData("edns-opts.pcap", "edns-opts.out")]
    [InlineData("dns-zlip-1.pcap", "dns-zlip-1.out")]
    [InlineData("dns-zlip-2.pcap", "dns-zlip-2.out")]
    [InlineData("dns-zlip-3.pcap", "dns-zlip-3.out")]
    public void OneLineOutput_CarriesTheFieldsOfTcpdumpOut(string capture, string expected)
    {
        var tcpdumpLines = File.ReadAllLines(Path.Combine(Repo.TcpdumpCaptures, expected))
            .Select(line => NumberedLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["rest"].Value).ToList();
        var frames = TestFrames.DecodeCapture(Path.Combine(Repo.TcpdumpCaptures, capture), detailed: false);
        Assert.Equal(tcpdumpLines.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            AssertSameFields(tcpdumpLines[i], frames[i].Summary);
        }
    }

    /// <summary>Same comparison against tcpdump run here, for captures with ARP, ICMP and DHCP.</summary>
    [ToolTheory("tcpdump")]
    [InlineData("dhcp-rfc4388.pcap")]
    [InlineData("dhcp-mud.pcap")]
    [InlineData("dns_udp_2.pcap")]
    public void OneLineOutput_CarriesTheFieldsOfTcpdumpHere(string capture)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, capture);
        var result = Shell.Run("tcpdump", "-n", "-t", "-r", path);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('\t') && !l.StartsWith(' ')).ToList();
        var frames = TestFrames.DecodeCapture(path, detailed: false);
        Assert.Equal(lines.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            AssertSameFields(lines[i], frames[i].Summary);
        }
    }

    /// <summary>Every field tcpdump printed (addresses, ports, flags, numbers, names) appears in our line. Tokens
    /// that are tcpdump's raw rendering of undecoded record data (URI, RRSIG contents) are compared by type only.</summary>
    private static void AssertSameFields(string tcpdump, string ours)
    {
        var theirs = Fields(tcpdump);
        var mine = Fields(ours);
        var missing = theirs.Where(t => !mine.Contains(t)).ToList();
        Assert.True(missing.Count == 0, $"fields {string.Join(" ", missing)} of tcpdump's\n  {tcpdump}\nare missing from ours\n  {ours}");
    }

    private static HashSet<string> Fields(string line) =>
        line.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(t => t.TrimEnd(':')).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (?<rest>.*)$")]
    private static partial Regex NumberedLine();

    /// <summary>tshark names a few things differently or adds pseudo-layers; map them to ours.</summary>
    private static string NormalizeTshark(string protocols) => string.Join(':', protocols.Split(':')
        .Where(p => p is not ("ethertype" or "data" or "eth.trailer"))
        .Select(p => p switch { "ipv6.hopopts" => "", _ => p })
        .Where(p => p.Length > 0));

    [ToolTheory("tshark")]
    [MemberData(nameof(Captures))]
    public void LayerStack_EqualsTsharkFrameProtocols(string file)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, file);
        var result = Shell.Run("tshark", ["-n", "-r", path, "-T", "fields", "-e", "frame.protocols"], TimeSpan.FromSeconds(120));
        Assert.Equal(0, result.ExitCode);
        var expected = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(NormalizeTshark).ToList();
        var frames = TestFrames.DecodeCapture(path, detailed: false);
        Assert.Equal(expected.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(expected[i] == frames[i].ProtocolPath, $"frame {i + 1}: tshark {expected[i]}, ours {frames[i].ProtocolPath} ({frames[i].Summary})");
        }
    }

    /// <summary>--quiet skips the one-line summary, a file is decoded into recycled frame objects, and without
    /// --hex or --layers from one shared buffer: none of it may change a layer, a fact or the report.</summary>
    [Theory]
    [MemberData(nameof(Captures))]
    public void QuietDecodingIntoOneRecycledFrame_GivesTheSameLayersAndReport(string file)
    {
        foreach (bool keepBytes in new[] { true, false })
        {
            QuietDecodingGivesTheSameLayersAndReport(file, keepBytes);
        }
    }

    private static void QuietDecodingGivesTheSameLayersAndReport(string file, bool keepBytes)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, file);
        var fresh = TestFrames.DecodeCapture(path, detailed: false);
        var quiet = new FrameDecoder(new DecoderOptions { Summary = false, KeepBytes = keepBytes });
        var recycled = new DecodedFrame();
        var freshAnalyzer = new CaptureAnalyzer([]);
        var quietAnalyzer = new CaptureAnalyzer([]);
        using var reader = NetLab.Pcap.PcapFileReader.Open(path);
        int i = 0;
        while (reader.TryReadNext(out var captured))
        {
            var expected = fresh[i];
            var frame = quiet.Decode(recycled, i + 1, captured.Timestamp, captured.OriginalLength, captured.Data, reader.LinkType);

            Assert.Same(recycled, frame);
            Assert.Equal("", frame.Summary);
            Assert.Equal(expected.ProtocolPath, frame.ProtocolPath);
            Assert.Equal(expected.Layers.Select(l => (l.Offset, l.Length, l.Status, l.Problem)), frame.Layers.Select(l => (l.Offset, l.Length, l.Status, l.Problem)));
            Assert.Equal((expected.SourceIp, expected.DestinationIp, expected.SourcePort, expected.DestinationPort, expected.Tcp, expected.Arp),
                (frame.SourceIp, frame.DestinationIp, frame.SourcePort, frame.DestinationPort, frame.Tcp, frame.Arp));
            Assert.True(keepBytes ? expected.Data.SequenceEqual(frame.Data) : frame.Data.IsEmpty);
            // DHCP facts come from the zero-allocation view when quiet, from the full message otherwise.
            Assert.Equal(expected.Dhcp, frame.Dhcp);
            Assert.Equal(expected.Ftp, frame.Ftp);
            Assert.Equal(expected.Dns is null, frame.Dns is null);
            if (expected.Dns is { } dns)
            {
                Assert.Equal((dns.Id, dns.IsResponse, dns.QuestionKey), (frame.Dns!.Id, frame.Dns.IsResponse, frame.Dns.QuestionKey));
                Assert.Equal(dns.Answers, frame.Dns.Answers);
            }
            freshAnalyzer.Observe(expected);
            quietAnalyzer.Observe(frame);
            i++;
        }

        Assert.Equal(fresh.Count, i);
        Assert.Equal(JsonReportRenderer.Render(freshAnalyzer.BuildReport(file, null, null, null)),
            JsonReportRenderer.Render(quietAnalyzer.BuildReport(file, null, null, null)));
    }
}
