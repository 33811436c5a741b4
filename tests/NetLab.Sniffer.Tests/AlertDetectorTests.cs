using System.Text;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Dns;
using NetLab.Protocols.Transport;
using NetLab.Sniffer.Analysis;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Tests;

/// <summary>Each detector raises its alert on frames built like an attacker's, and stays quiet on normal traffic.</summary>
public sealed class AlertDetectorTests
{
    private static CaptureReport Analyze(IEnumerable<byte[]> frames, params string[] trustedDhcp)
    {
        var analyzer = new CaptureAnalyzer(trustedDhcp.Select(TestFrames.Ip).ToList());
        foreach (var frame in TestFrames.Decode(frames))
        {
            analyzer.Observe(frame);
        }
        return analyzer.BuildReport("test", null, null, null);
    }

    private static byte[] Dhcp(DhcpMessageType type, uint xid, int clientMac, string? yourIp = null, string? serverId = null)
    {
        var message = new DhcpMessage
        {
            Operation = type is DhcpMessageType.Offer or DhcpMessageType.Ack or DhcpMessageType.Nak ? DhcpOperation.BootReply : DhcpOperation.BootRequest,
            TransactionId = xid,
            ClientMac = TestFrames.Mac(clientMac),
            MessageType = type,
        };
        if (yourIp is not null)
        {
            message.YourAddress = TestFrames.Ip(yourIp);
        }
        if (serverId is not null)
        {
            message.ServerIdentifier = TestFrames.Ip(serverId);
        }
        return message.ToArray();
    }

    /// <summary>A clean DHCP exchange from 192.168.10.1 plus an optional offer from another server.</summary>
    private static List<byte[]> DhcpExchange(string? rogueServer)
    {
        var frames = new List<byte[]>
        {
            TestFrames.Udp(5, "0.0.0.0", 68, 0xFFFFFF, "255.255.255.255", 67, Dhcp(DhcpMessageType.Discover, 0x1234, 5)),
            TestFrames.Udp(1, "192.168.10.1", 67, 5, "192.168.10.100", 68, Dhcp(DhcpMessageType.Offer, 0x1234, 5, "192.168.10.100", "192.168.10.1")),
        };
        if (rogueServer is not null)
        {
            frames.Add(TestFrames.Udp(66, rogueServer, 67, 5, "192.168.10.150", 68, Dhcp(DhcpMessageType.Offer, 0x1234, 5, "192.168.10.150", rogueServer)));
        }
        frames.Add(TestFrames.Udp(5, "0.0.0.0", 68, 0xFFFFFF, "255.255.255.255", 67, Dhcp(DhcpMessageType.Request, 0x1234, 5)));
        frames.Add(TestFrames.Udp(1, "192.168.10.1", 67, 5, "192.168.10.100", 68, Dhcp(DhcpMessageType.Ack, 0x1234, 5, "192.168.10.100", "192.168.10.1")));
        return frames;
    }

    private static byte[] DnsQuery(ushort id) =>
        TestFrames.Udp(5, "192.168.10.100", 40000, 1, "192.168.10.1", 53, DnsMessage.CreateQuery(id, "ftp.lab.test", DnsRecordType.A).ToArray());

    private static byte[] DnsAnswer(ushort id, string server, string address)
    {
        var response = DnsMessage.CreateQuery(id, "ftp.lab.test", DnsRecordType.A).CreateResponse();
        response.Answers.Add(new DnsResourceRecord("ftp.lab.test", DnsRecordType.A, DnsClass.IN, 300, new DnsAddressData(System.Net.IPAddress.Parse(address))));
        return TestFrames.Udp(1, server, 53, 5, "192.168.10.100", 40000, response.ToArray());
    }

    private static List<byte[]> CleanTraffic() =>
    [
        TestFrames.Arp(ArpOperation.Request, 5, "192.168.10.100", 0, "192.168.10.1"),
        TestFrames.Arp(ArpOperation.Reply, 1, "192.168.10.1", 5, "192.168.10.100"),
        .. DhcpExchange(null),
        DnsQuery(7),
        DnsAnswer(7, "192.168.10.1", "192.168.10.1"),
        TestFrames.Arp(ArpOperation.Request, 1, "192.168.10.1", 0, "192.168.10.100"),
        TestFrames.Arp(ArpOperation.Reply, 5, "192.168.10.100", 1, "192.168.10.1"),
    ];

    [Fact]
    public void CleanTraffic_RaisesNoAlert_AndReportsTheTransactions()
    {
        var report = Analyze(CleanTraffic(), "192.168.10.1");
        Assert.Empty(report.Alerts);
        var dhcp = Assert.Single(report.DhcpTransactions);
        Assert.Equal("192.168.10.100", dhcp.Address);
        Assert.Equal("192.168.10.1", dhcp.Server);
        Assert.Equal("bound", dhcp.Outcome);
        Assert.Equal(["Discover", "Offer", "Request", "Ack"], dhcp.Messages);
        Assert.NotNull(dhcp.DiscoverToAckMs);
        var dns = Assert.Single(report.DnsQueries);
        Assert.Equal("ftp.lab.test. A", dns.Question);
        Assert.Equal("ftp.lab.test. A 192.168.10.1", Assert.Single(dns.Answers));
        Assert.NotNull(dns.ResponseTimeMs);
    }

    [Fact]
    public void SecondMacClaimingAnAddress_RaisesArpSpoofing()
    {
        var frames = CleanTraffic();
        frames.Add(TestFrames.Arp(ArpOperation.Reply, 66, "192.168.10.1", 5, "192.168.10.100"));
        var alert = Assert.Single(Analyze(frames, "192.168.10.1").Alerts);
        Assert.Equal(AlertKinds.ArpSpoofing, alert.Kind);
        Assert.Contains("02:00:00:00:00:42", alert.Message, StringComparison.Ordinal);
        Assert.Contains("192.168.10.1", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GratuitousArpBurst_RaisesFlood_ButTwoAnnouncementsDoNot()
    {
        byte[] announce = TestFrames.Arp(ArpOperation.Request, 9, "192.168.10.9", 0, "192.168.10.9");
        Assert.Empty(Analyze([announce, announce]).Alerts);
        var alerts = Analyze(Enumerable.Repeat(announce, ArpWatcher.FloodThreshold + 1)).Alerts;
        Assert.Equal(AlertKinds.GratuitousArpFlood, Assert.Single(alerts).Kind);
    }

    [Fact]
    public void OfferFromUntrustedServer_RaisesRogueDhcp()
    {
        var alerts = Analyze(DhcpExchange("192.168.10.66"), "192.168.10.1").Alerts;
        var alert = Assert.Single(alerts);
        Assert.Equal(AlertKinds.RogueDhcp, alert.Kind);
        Assert.Contains("192.168.10.66", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTrustedList_SecondServer_RaisesRogueDhcp()
    {
        Assert.Empty(Analyze(DhcpExchange(null)).Alerts);
        Assert.Equal(AlertKinds.RogueDhcp, Assert.Single(Analyze(DhcpExchange("192.168.10.66")).Alerts).Kind);
    }

    [Fact]
    public void TwoDifferentAnswersToOneQuery_RaiseForgedDns()
    {
        var report = Analyze([DnsQuery(9), DnsAnswer(9, "192.168.10.1", "192.168.10.66"), DnsAnswer(9, "192.168.10.1", "192.168.10.1")]);
        var alert = Assert.Single(report.Alerts);
        Assert.Equal(AlertKinds.ForgedDnsAnswer, alert.Kind);
        Assert.Contains("192.168.10.66", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetransmittedIdenticalAnswer_IsNotForged()
    {
        Assert.Empty(Analyze([DnsQuery(9), DnsAnswer(9, "192.168.10.1", "192.168.10.1"), DnsAnswer(9, "192.168.10.1", "192.168.10.1")]).Alerts);
    }

    [Fact]
    public void AnswerFromAServerNotAsked_RaisesAlert()
    {
        var alert = Assert.Single(Analyze([DnsQuery(11), DnsAnswer(11, "192.168.10.66", "192.168.10.66")]).Alerts);
        Assert.Equal(AlertKinds.DnsAnswerFromUnaskedServer, alert.Kind);
    }

    [Fact]
    public void QuerySentToTwoServers_TakesEitherAnswer_AndNamesBothWhenAThirdAnswers()
    {
        static byte[] Query(string server) =>
            TestFrames.Udp(5, "192.168.10.100", 40000, 1, server, 53, DnsMessage.CreateQuery(11, "ftp.lab.test", DnsRecordType.A).ToArray());
        var report = Analyze([Query("192.168.10.1"), Query("192.168.10.2"), DnsAnswer(11, "192.168.10.2", "192.168.10.1"), DnsAnswer(11, "192.168.10.66", "192.168.10.66")]);

        var alert = Assert.Single(report.Alerts);
        Assert.Equal(AlertKinds.DnsAnswerFromUnaskedServer, alert.Kind);
        Assert.Contains("the client asked 192.168.10.1, 192.168.10.2", alert.Message, StringComparison.Ordinal);
        Assert.Equal(["192.168.10.1", "192.168.10.2"], report.DnsQueries.Select(q => q.Server));
        Assert.Null(report.DnsQueries[0].ResponseTimeMs);
        Assert.NotNull(report.DnsQueries[1].ResponseTimeMs);
    }

    [Fact]
    public void FtpPassword_RaisesClearTextAlert_WithoutThePassword()
    {
        const string Secret = "s3cr3t-Pa55";
        static byte[] Line(bool fromClient, uint seq, string text) => fromClient
            ? TestFrames.Tcp("192.168.10.100", 50000, "192.168.10.1", 21, TcpFlags.Psh | TcpFlags.Ack, seq, 1, Encoding.ASCII.GetBytes(text))
            : TestFrames.Tcp("192.168.10.1", 21, "192.168.10.100", 50000, TcpFlags.Psh | TcpFlags.Ack, seq, 1, Encoding.ASCII.GetBytes(text));
        var frames = TestFrames.Decode(
        [
            Line(false, 1000, "220 ready\r\n"),
            Line(true, 100, "USER alice\r\n"),
            Line(false, 1011, "331 password please\r\n"),
            Line(true, 112, $"PASS {Secret}\r\n"),
            Line(false, 1032, "230 Login successful.\r\n"),
            Line(true, 129, "RETR notes.txt\r\n"),
            Line(false, 1055, "150 Opening\r\n226 Transfer complete.\r\n"),
        ]);
        var analyzer = new CaptureAnalyzer([]);
        frames.ForEach(analyzer.Observe);
        var report = analyzer.BuildReport("test", null, null, null);

        var alert = Assert.Single(report.Alerts);
        Assert.Equal(AlertKinds.ClearTextCredentials, alert.Kind);
        Assert.Contains("alice", alert.Message, StringComparison.Ordinal);
        var session = Assert.Single(report.FtpSessions);
        Assert.Equal("alice", session.User);
        Assert.True(session.LoggedIn);
        Assert.True(session.PasswordSentInClear);
        var file = Assert.Single(session.Files);
        Assert.Equal(("notes.txt", "download", true), (file.File, file.Direction, file.Completed));

        // The secret appears nowhere: not in lines, layer trees, hex dumps or any report format.
        var everything = new StringBuilder();
        foreach (var frame in frames)
        {
            everything.AppendLine(frame.Summary);
            Output.FrameWriter.AppendTree(everything, frame);
            Output.FrameWriter.AppendHex(everything, frame);
        }
        foreach (var format in Enum.GetValues<ReportFormat>())
        {
            everything.AppendLine(ReportRenderer.Render(report, format));
        }
        Assert.DoesNotContain(Secret, everything.ToString(), StringComparison.Ordinal);
        string secretHex = string.Join(" ", Encoding.ASCII.GetBytes(Secret).Take(4).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(secretHex, everything.ToString(), StringComparison.Ordinal);
        Assert.Contains("PASS ****", frames[3].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void FtpLoginsToOneServer_CountAsOneAlert_WithTheFirstSessionsMessage()
    {
        static byte[] Pass(ushort clientPort, uint seq) =>
            TestFrames.Tcp("192.168.10.100", clientPort, "192.168.10.1", 21, TcpFlags.Psh | TcpFlags.Ack, seq, 1, Encoding.ASCII.GetBytes("PASS x\r\n"));
        static byte[] User(ushort clientPort, uint seq) =>
            TestFrames.Tcp("192.168.10.100", clientPort, "192.168.10.1", 21, TcpFlags.Psh | TcpFlags.Ack, seq, 1, Encoding.ASCII.GetBytes("USER alice\r\n"));
        var analyzer = new CaptureAnalyzer([]);
        TestFrames.Decode([User(50001, 10), Pass(50001, 22), User(50002, 10), Pass(50002, 22), User(50003, 10), Pass(50003, 22)])
            .ForEach(analyzer.Observe);
        var report = analyzer.BuildReport("test", null, null, null);

        var alert = Assert.Single(report.Alerts);
        Assert.Equal(3, alert.Occurrences);
        Assert.Contains("192.168.10.100:50001", alert.Message, StringComparison.Ordinal);
        Assert.Equal(3, report.FtpSessions.Count);
    }

    [Fact]
    public void AuthLoginWithoutTls_RaisesClearTextAlert_AndNeverShowsThePassword()
    {
        const string Secret = "hunter2-Secret";
        byte[] login = NetLab.Protocols.Auth.AuthFrame.Request(NetLab.Protocols.Auth.AuthOperation.Login, "bob@lab.test", Secret).ToArray();
        byte[] ok = NetLab.Protocols.Auth.AuthFrame.Success(NetLab.Protocols.Auth.AuthOperation.Login, "welcome").ToArray();
        ushort port = NetLab.Protocols.Auth.AuthProtocol.DefaultPort;
        var frames = TestFrames.Decode(
        [
            TestFrames.Tcp("192.168.10.100", 40001, "192.168.10.1", port, TcpFlags.Psh | TcpFlags.Ack, 1, 1, login),
            TestFrames.Tcp("192.168.10.1", port, "192.168.10.100", 40001, TcpFlags.Psh | TcpFlags.Ack, 1, 1 + (uint)login.Length, ok),
        ]);
        Assert.Equal("eth:ip:tcp:auth", frames[0].ProtocolPath);
        Assert.Contains("request LOGIN email=bob@lab.test password=***", frames[0].Summary, StringComparison.Ordinal);
        var analyzer = new CaptureAnalyzer([]);
        frames.ForEach(analyzer.Observe);
        var alert = Assert.Single(analyzer.BuildReport("t", null, null, null).Alerts);
        Assert.Equal(AlertKinds.ClearTextCredentials, alert.Kind);
        Assert.Contains("bob@lab.test", alert.Message, StringComparison.Ordinal);

        var shown = new StringBuilder();
        foreach (var frame in frames)
        {
            shown.AppendLine(frame.Summary);
            Output.FrameWriter.AppendTree(shown, frame);
            Output.FrameWriter.AppendHex(shown, frame);
        }
        Assert.DoesNotContain(Secret, shown.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", shown.ToString(), StringComparison.Ordinal);
    }
}
