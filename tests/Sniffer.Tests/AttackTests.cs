using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Dns;
using NetLab.Protocols.Frames;
using NetLab.Testing;

namespace NetLab.Sniffer.Hosts.Tests;

/// <summary>A man-in-the-middle host on the lab bridge: spoofed ARP replies, a second DHCP server and a forged
/// DNS answer each raise their alert; the same lab without it raises none.</summary>
public sealed class AttackTests
{
    private const double Duration = 12;
    private const string ClientIp = "192.168.10.50", AttackerIp = "192.168.10.66", ForgedAddress = "192.168.10.66";

    [RootFact("dnsmasq", "udhcpc", "dig")]
    public void CleanLab_RaisesNoAlert()
    {
        using var dir = new TempDirectory();
        using var network = TestNetwork.CreateBridged("snc");
        var server = network.AddHost(LabHosts.ServerIp + "/24");
        var dhcpClient = network.AddHost(null);
        var client = network.AddHost(ClientIp + "/24");
        LabHosts.StartDnsmasq(server, dir, "192.168.10.100,192.168.10.200", dns: true);
        var sniffer = LabHosts.StartSniffer(network, Duration, "--report", "json", "--report-file", dir.File("report.json"), "--trusted-dhcp", LabHosts.ServerIp);

        LabHosts.Udhcpc(dhcpClient);
        Assert.Contains(LabHosts.ServerIp, client.Run("dig", "+tries=2", "+time=2", "@" + LabHosts.ServerIp, "ftp.lab.test", "A").Stdout, StringComparison.Ordinal);

        LabHosts.WaitForExit(sniffer, Duration);
        var report = SnifferProgram.ReadJsonReport(dir.File("report.json"));
        Assert.Single(report.DhcpTransactions, t => t.Outcome == "bound");
        Assert.Contains(report.DnsQueries, q => q.Answers.Count > 0);
        Assert.True(report.Alerts.Count == 0, "unexpected alerts: " + string.Join("; ", report.Alerts.Select(a => a.Message)));
    }

    [RootFact("dnsmasq", "udhcpc", "dig")]
    public void ManInTheMiddle_RaisesArpSpoofing_RogueDhcp_AndForgedDns()
    {
        using var dir = new TempDirectory();
        using var network = TestNetwork.CreateBridged("sna");
        var server = network.AddHost(LabHosts.ServerIp + "/24");
        var dhcpClient = network.AddHost(null);
        var client = network.AddHost(ClientIp + "/24");
        var attacker = network.AddHost(AttackerIp + "/24");
        // Ageing time 0 turns the bridge into a hub, so the attacker sees the client's unicast query as on a shared segment.
        network.Bridge.Exec("ip", "link", "set", "br0", "type", "bridge", "ageing_time", "0");
        LabHosts.StartDnsmasq(server, dir, "192.168.10.100,192.168.10.149", dns: true);
        LabHosts.StartDnsmasq(attacker, dir, "192.168.10.150,192.168.10.199", dns: false);
        var sniffer = LabHosts.StartSniffer(network, Duration, "--report", "json", "--report-file", dir.File("report.json"), "--trusted-dhcp", LabHosts.ServerIp);

        // The rogue server answers the DISCOVER alongside the real one.
        LabHosts.Udhcpc(dhcpClient);

        var attackerMac = MacAddress.Parse(attacker.Exec("cat", "/sys/class/net/eth0/address"));
        var clientMac = MacAddress.Parse(client.Exec("cat", "/sys/class/net/eth0/address"));
        Exception? attackFailure = null;
        bool forged = false;
        var attack = new Thread(() =>
        {
            try
            {
                forged = ForgeOneDnsAnswer(attacker, attackerMac);
            }
            catch (Exception e) when (e is PcapException or InvalidOperationException or IOException)
            {
                attackFailure = e;
            }
        });
        attack.Start();
        Thread.Sleep(1000); // the attacker's capture is open before the query goes out
        client.Run("dig", "+tries=1", "+time=3", "@" + LabHosts.ServerIp, "ftp.lab.test", "A");
        Assert.True(attack.Join(TimeSpan.FromSeconds(20)), "the attacker thread did not finish");
        Assert.Null(attackFailure);
        Assert.True(forged, "the attacker saw no DNS query to answer");

        // Poison the client's cache: "192.168.10.1 is at the attacker's MAC".
        SendFromAttacker(attacker, FrameBuilder.BuildArp(attackerMac, clientMac, new ArpPacket
        {
            Operation = ArpOperation.Reply,
            SenderMac = attackerMac,
            SenderIp = IPv4Address.Parse(LabHosts.ServerIp),
            TargetMac = clientMac,
            TargetIp = IPv4Address.Parse(ClientIp),
        }), times: 3);

        LabHosts.WaitForExit(sniffer, Duration);
        var report = SnifferProgram.ReadJsonReport(dir.File("report.json"));
        string alerts = string.Join("; ", report.Alerts.Select(a => $"{a.Kind}: {a.Message}"));
        Assert.True(report.Alerts.Any(a => a.Kind == "rogue-dhcp" && a.Message.Contains(AttackerIp, StringComparison.Ordinal)), alerts);
        Assert.True(report.Alerts.Any(a => a.Kind == "arp-spoofing" && a.Message.Contains(attackerMac.ToString(), StringComparison.Ordinal)), alerts);
        Assert.True(report.Alerts.Any(a => a.Kind is "forged-dns-answer" or "dns-answer-from-unasked-server" && a.Message.Contains(ForgedAddress, StringComparison.Ordinal)), alerts);
    }

    /// <summary>Waits for the client's query on the attacker's NIC and answers it, pretending to be the server,
    /// with the attacker's address; the real server answers too, so the client sees two different answers.</summary>
    private static bool ForgeOneDnsAnswer(NetworkNamespace attacker, MacAddress attackerMac)
    {
        LiveCapture capture;
        using (attacker.Enter())
        {
            capture = LiveCapture.Open("eth0", new LiveCaptureOptions { TimeoutMs = 100 });
        }
        using (capture)
        {
            capture.SetFilter("udp dst port 53");
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (DateTime.UtcNow < deadline)
            {
                if (!capture.TryReceive(out var frame) || !UdpFrame.TryParse(frame.Data, out var udp)
                    || !DnsMessage.TryRead(udp.Payload(frame.Data), out var query, out _) || query.IsResponse)
                {
                    continue;
                }
                var answer = query.CreateResponse();
                answer.RecursionAvailable = true;
                answer.Answers.Add(new DnsResourceRecord(query.Questions[0].Name, DnsRecordType.A, DnsClass.IN, 300,
                    new DnsAddressData(System.Net.IPAddress.Parse(ForgedAddress))));
                capture.Send(FrameBuilder.BuildUdp(attackerMac, udp.SourceMac, udp.DestinationIp, udp.SourceIp,
                    udp.DestinationPort, udp.SourcePort, answer.ToArray()));
                return true;
            }
            return false;
        }
    }

    private static void SendFromAttacker(NetworkNamespace attacker, byte[] frame, int times)
    {
        LiveCapture capture;
        using (attacker.Enter())
        {
            capture = LiveCapture.Open("eth0");
        }
        using (capture)
        {
            for (int i = 0; i < times; i++)
            {
                capture.Send(frame);
                Thread.Sleep(100);
            }
        }
    }
}
