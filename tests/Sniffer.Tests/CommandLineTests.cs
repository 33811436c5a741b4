using NetLab.Testing;

namespace NetLab.Sniffer.Hosts.Tests;

public sealed class CommandLineTests
{
    private static string Capture(string name) => Path.Combine(Repo.TcpdumpCaptures, name);

    [Theory]
    [InlineData(new string[] { }, "give either --interface")]
    [InlineData(new[] { "--read", "/nonexistent.pcap" }, "no such file")]
    [InlineData(new[] { "--interface", "eth0", "--duration", "-1" }, "--duration must be a positive")]
    [InlineData(new[] { "--interface", "eth0", "--mail-to", "admin@lab.test" }, "--mail-to needs --smtp")]
    [InlineData(new[] { "--interface", "eth0", "--mail-to", "admin@lab.test", "--smtp", "mail:99999" }, "port must be a number from 1 to 65535")]
    [InlineData(new[] { "--interface", "eth0", "--trusted-dhcp", "10.0.0" }, "is not an IPv4 address")]
    [InlineData(new[] { "--interface", "eth0", "--smtp-user", "bob", "--mail-to", "a@b.c", "--smtp", "h" }, "go together")]
    [InlineData(new[] { "--interface", "eth0", "--mail-to", "not-an-address", "--smtp", "h" }, "is not a mail address")]
    public void BadFlags_ExitNonZero_WithAMessageSayingWhatIsWrong(string[] args, string message)
    {
        var result = SnifferProgram.Run(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadReportFormat_IsRejectedByTheParser()
    {
        var result = SnifferProgram.Run("--read", Capture("dns_udp.pcap"), "--report", "pdf");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("pdf", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_PrintsOneLinePerFrame_AndTheJsonReport()
    {
        using var dir = new TempDirectory();
        var result = SnifferProgram.Run("--read", Capture("dns_tcp.pcap"), "--utc", "--report", "json", "--report-file", dir.File("r.json"));
        Assert.True(result.ExitCode == 0, result.Output);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        Assert.Equal("09:21:03.720289 IP 192.168.1.11.33779 > 209.87.249.18.53: Flags [S], seq 603899916, win 64240, options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7], length 0", lines[0]);
        var report = SnifferProgram.ReadJsonReport(dir.File("r.json"));
        Assert.Equal(11, report.Frames);
        Assert.Null(report.KernelDrops);
    }

    [Fact]
    public void ReadFile_WithFilter_KeepsOnlyMatchingFrames()
    {
        var result = SnifferProgram.Run("--read", Capture("dns_tcp.pcap"), "--utc", "--filter", "tcp[tcpflags] & tcp-syn != 0");
        Assert.True(result.ExitCode == 0, result.Output);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("Flags [S],", lines[0], StringComparison.Ordinal);
        Assert.Contains("Flags [S.],", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void LayersAndHex_ShowEveryLayerAndItsBytes()
    {
        var result = SnifferProgram.Run("--read", Capture("dns_udp.pcap"), "--count", "1", "--layers", "--hex");
        Assert.True(result.ExitCode == 0, result.Output);
        foreach (string expected in new[] { "Ethernet II (eth), bytes 0-13", "Internet Protocol version 4 (ip), bytes 14-33", "User Datagram Protocol (udp), bytes 34-41",
            "Domain Name System (dns), bytes 42-", "Header checksum: 0x", "[correct]", "-- eth: bytes 0-13 (14)", "-- dns: bytes 42-", "Question: www.tcpdump.org. IN A" })
        {
            Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WriteWhileReading_CopiesEveryFrame()
    {
        using var dir = new TempDirectory();
        var result = SnifferProgram.Run("--read", Capture("dhcp-rfc4388.pcap"), "--quiet", "--write", dir.File("copy.pcap"));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(54, NetLab.Pcap.PcapFileReader.ReadAll(dir.File("copy.pcap")).Count());
    }

    [Fact]
    public void ReadFile_Count_StopsAfterThatManyFrames()
    {
        using var dir = new TempDirectory();
        var result = SnifferProgram.Run("--read", Capture("dns_tcp.pcap"), "--utc", "--count", "3", "--report", "json", "--report-file", dir.File("r.json"));
        Assert.True(result.ExitCode == 0, result.Output);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("Flags [S.],", lines[1], StringComparison.Ordinal);
        Assert.Equal(3, SnifferProgram.ReadJsonReport(dir.File("r.json")).Frames);
    }

    [Fact]
    public void ReadFile_CutInsideARecord_PrintsTheFramesBeforeItAndFails()
    {
        using var dir = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(Capture("dns_tcp.pcap"));
        // The first record is 16 + 74 bytes (a SYN); cut the second one after its header.
        string cut = dir.File("cut.pcap");
        File.WriteAllBytes(cut, bytes[..(24 + 16 + 74 + 16 + 5)]);

        var result = SnifferProgram.Run("--read", cut, "--utc");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("truncated dump file", result.Stderr, StringComparison.Ordinal);
    }
}
