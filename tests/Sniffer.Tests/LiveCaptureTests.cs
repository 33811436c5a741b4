using NetLab.Testing;

namespace NetLab.Sniffer.Hosts.Tests;

/// <summary>A DHCP exchange, DNS lookups and an FTP download between namespaces, captured on the bridge.</summary>
public sealed class LiveCaptureTests
{
    private const double Duration = 14;

    [RootFact("dnsmasq", "udhcpc", "dig", "curl", "tshark", "/usr/bin/python3")]
    public void Report_ListsTheDhcpTransaction_TheDnsAnswers_AndTheFtpFile_AndTsharkCountsOurFrames()
    {
        using var dir = new TempDirectory();
        using var network = TestNetwork.CreateBridged("snf");
        var server = network.AddHost(LabHosts.ServerIp + "/24");
        var dhcpClient = network.AddHost(null);
        var client = network.AddHost("192.168.10.50/24");
        LabHosts.StartDnsmasq(server, dir, "192.168.10.100,192.168.10.200", dns: true);
        Directory.CreateDirectory(dir.File("ftp"));
        File.WriteAllText(dir.File("ftp/notes.txt"), "lab notes\n");
        var ftp = server.Start("/usr/bin/python3", "-m", "pyftpdlib", "-i", LabHosts.ServerIp, "-p", "21", "-d", dir.File("ftp"));
        ftp.WaitForLine("starting FTP server|concurrency model", TimeSpan.FromSeconds(15));

        string pcap = dir.File("live.pcap"), reportPath = dir.File("report.json");
        var sniffer = LabHosts.StartSniffer(network, Duration, "--write", pcap, "--report", "json", "--report-file", reportPath,
            "--trusted-dhcp", LabHosts.ServerIp);

        string leased = LabHosts.Udhcpc(dhcpClient);
        var dig = client.Run("dig", "+tries=2", "+time=2", "@" + LabHosts.ServerIp, "ftp.lab.test", "A");
        Assert.Contains("192.168.10.1", dig.Stdout, StringComparison.Ordinal);
        var curl = client.Run("curl", "-sS", "--max-time", "10", $"ftp://{LabHosts.ServerIp}/notes.txt");
        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Equal("lab notes\n", curl.Stdout);

        LabHosts.WaitForExit(sniffer, Duration);
        var report = SnifferProgram.ReadJsonReport(reportPath);

        var dhcp = Assert.Single(report.DhcpTransactions, t => t.Outcome == "bound");
        Assert.Equal(leased, dhcp.Address);
        Assert.Equal(LabHosts.ServerIp, dhcp.Server);
        Assert.Contains("Discover", dhcp.Messages);
        Assert.Contains("Ack", dhcp.Messages);

        var query = Assert.Single(report.DnsQueries, q => q.Question == "ftp.lab.test. A" && q.Client == "192.168.10.50");
        Assert.Contains("ftp.lab.test. A 192.168.10.1", query.Answers);
        Assert.NotNull(query.ResponseTimeMs);

        var session = Assert.Single(report.FtpSessions);
        Assert.Equal("anonymous", session.User);
        var file = Assert.Single(session.Files);
        Assert.Equal(("notes.txt", "download", true), (file.File, file.Direction, file.Completed));
        // curl logs in anonymously with a password in clear: that is flagged, masked.
        Assert.Contains(report.Alerts, a => a.Kind == "clear-text-credentials");
        Assert.DoesNotContain(report.Alerts, a => a.Kind is "rogue-dhcp" or "arp-spoofing" or "forged-dns-answer");

        Assert.True(report.Frames > 20);
        Assert.Equal(report.Frames, SnifferProgram.TsharkFrameCount(pcap));
        Assert.NotNull(report.KernelDrops);
    }
}
