using NetLab.Sniffer.Analysis;
using NetLab.Sniffer.Reporting;
using NetLab.Testing;

namespace NetLab.Sniffer.Tests;

/// <summary>Statistics from a real capture, and the three renderers.</summary>
public sealed class ReportTests
{
    private static CaptureReport ReportOf(string capture)
    {
        var analyzer = new CaptureAnalyzer([]);
        TestFrames.DecodeCapture(Path.Combine(Repo.TcpdumpCaptures, capture), detailed: false).ForEach(analyzer.Observe);
        return analyzer.BuildReport(capture, null, null, null);
    }

    [Fact]
    public void TcpConversation_HasHandshakeRtt_BytesAndNoRetransmissions()
    {
        var report = ReportOf("dns_tcp.pcap");
        var conversation = Assert.Single(report.Conversations);
        Assert.Equal(("TCP", "192.168.1.11:33779", "209.87.249.18:53"), (conversation.Protocol, conversation.EndpointA, conversation.EndpointB));
        Assert.Equal(11, conversation.Frames);
        // SYN at .720289, the ACK completing the handshake at .847060 (Wireshark's initial RTT).
        Assert.Equal(126.771, conversation.HandshakeRttMs!.Value, 3);
        Assert.Equal(0, conversation.Retransmissions);
        Assert.Equal("closed", conversation.State);
        Assert.Equal(report.Bytes, conversation.BytesAToB + conversation.BytesBToA);
    }

    [Fact]
    public void RepeatedSegment_CountsAsRetransmission()
    {
        var syn = TestFrames.Tcp("10.0.0.1", 1000, "10.0.0.2", 80, NetLab.Protocols.Transport.TcpFlags.Syn, 100, 0, []);
        var data = TestFrames.Tcp("10.0.0.1", 1000, "10.0.0.2", 80, NetLab.Protocols.Transport.TcpFlags.Psh | NetLab.Protocols.Transport.TcpFlags.Ack, 101, 1, [1, 2, 3]);
        var analyzer = new CaptureAnalyzer([]);
        TestFrames.Decode([syn, data, data]).ForEach(analyzer.Observe);
        Assert.Equal(1, Assert.Single(analyzer.BuildReport("t", null, null, null).Conversations).Retransmissions);
    }

    [Fact]
    public void ProtocolHierarchy_CountsEachPrefixOnce()
    {
        var report = ReportOf("dhcp-rfc4388.pcap");
        var eth = Assert.Single(report.ProtocolHierarchy, n => n.Path == "eth");
        Assert.Equal(54, eth.Frames);
        Assert.Equal(12, Assert.Single(report.ProtocolHierarchy, n => n.Path == "eth:arp").Frames);
        Assert.Equal(36, Assert.Single(report.ProtocolHierarchy, n => n.Path == "eth:ip:udp:dhcp").Frames);
        Assert.Equal(42, Assert.Single(report.ProtocolHierarchy, n => n.Path == "eth:ip").Frames);
    }

    [Fact]
    public void Json_RoundTrips()
    {
        var report = ReportOf("dhcp-rfc4388.pcap");
        var parsed = JsonReportRenderer.Parse(JsonReportRenderer.Render(report));
        Assert.NotNull(parsed);
        Assert.Equal(report.Frames, parsed.Frames);
        Assert.Equal(report.DhcpTransactions.Count, parsed.DhcpTransactions.Count);
        Assert.Equal(report.DhcpTransactions[0].TransactionId, parsed.DhcpTransactions[0].TransactionId);
        Assert.Equal(report.ProtocolHierarchy, parsed.ProtocolHierarchy);
    }

    [Fact]
    public void Html_IsSelfContained_WithBothCharts()
    {
        string html = HtmlReportRenderer.Render(ReportOf("dhcp-rfc4388.pcap"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<svg ").Length - 1);
        Assert.Contains("frames over time", html, StringComparison.Ordinal);
        Assert.Contains("protocol share", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        // The only URL is the SVG namespace, which browsers never fetch.
        Assert.All(html.Split("http").Skip(1), rest => Assert.StartsWith("://www.w3.org/2000/svg", rest, StringComparison.Ordinal));
    }

    [Fact]
    public void Text_HasEverySection()
    {
        string text = TextReportRenderer.Render(ReportOf("dhcp-rfc4388.pcap"));
        foreach (string section in new[] { "Protocol hierarchy", "Top talkers", "Conversations", "DHCP transactions", "DNS queries", "FTP sessions", "Alerts" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }
        Assert.Contains("0x3cd0af7e", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxRows_KeepsTheLargestConversationsAndFirstQueries_AndCountsTheRest()
    {
        // Five clients ports asking 1, 2, ... 5 questions: five UDP conversations of rising size, 15 queries.
        var frames = new List<byte[]>();
        for (int port = 0; port < 5; port++)
        {
            for (int n = 0; n <= port; n++)
            {
                var query = new NetLab.Protocols.Dns.DnsMessage { Id = (ushort)((port * 10) + n), RecursionDesired = true };
                query.Questions.Add(new NetLab.Protocols.Dns.DnsQuestion($"host{port}-{n}.lab.test", NetLab.Protocols.Dns.DnsRecordType.A));
                byte[] buffer = new byte[512];
                Assert.True(query.TryWrite(buffer, out int length));
                frames.Add(TestFrames.Udp(1, "10.0.0.2", (ushort)(40000 + port), 2, "10.0.0.1", 53, buffer[..length]));
            }
        }
        var analyzer = new CaptureAnalyzer([]);
        TestFrames.Decode(frames).ForEach(analyzer.Observe);

        var limited = analyzer.BuildReport("t", null, null, null, maxRows: 2);
        var full = analyzer.BuildReport("t", null, null, null);

        Assert.Equal(5, full.Conversations.Count);
        Assert.Equal(full.Conversations.Take(2), limited.Conversations);
        Assert.Equal("10.0.0.2:40004", limited.Conversations[0].EndpointA);
        Assert.Equal(full.DnsQueries.Take(2).Select(q => q.Question), limited.DnsQueries.Select(q => q.Question));
        Assert.Equal((5, 15), (limited.ConversationTotal, limited.DnsQueryTotal));
        Assert.Equal(15, full.DnsQueries.Count);
        foreach (string rendered in new[] { TextReportRenderer.Render(limited), HtmlReportRenderer.Render(limited) })
        {
            Assert.Matches(@"(?<!\d)3 more in the JSON report", rendered);
            Assert.Contains("13 more in the JSON report", rendered, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("more in the JSON report", TextReportRenderer.Render(full), StringComparison.Ordinal);
    }
}
