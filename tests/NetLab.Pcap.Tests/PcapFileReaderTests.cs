using NetLab.Testing;

namespace NetLab.Pcap.Tests;

public class PcapFileReaderTests
{
    public static TheoryData<string> TcpdumpCaptures()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Repo.TcpdumpCaptures).Where(p => p.EndsWith(".pcap", StringComparison.Ordinal) || p.EndsWith(".pcapng", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [ToolTheory("tshark")]
    [MemberData(nameof(TcpdumpCaptures))]
    public void ReadAll_TcpdumpCapture_MatchesTshark(string fileName)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, fileName);
        var expected = Tshark.Frames(path);

        var frames = PcapFileReader.ReadAll(path).ToList();
        int snaplen;
        using (var reader = PcapFileReader.Open(path))
        {
            snaplen = reader.Snaplen;
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            var (timestamp, originalLength, data) = frames[i];
            Assert.Equal(expected[i].EpochTicks, Tshark.TicksSinceEpoch(timestamp));
            Assert.Equal(expected[i].Length, originalLength);
            // Fuzzed captures (bootp_asan) hold records longer than the file's snaplen: libpcap, like tcpdump,
            // keeps snaplen bytes of them where tshark keeps all.
            Assert.Equal(Math.Min(expected[i].CapturedLength, snaplen), data.Length);
            if (data.Length == expected[i].CapturedLength)
            {
                Assert.Equal(expected[i].Md5, Tshark.Md5(data));
            }
        }
    }

    [ToolTheory("tcpdump")]
    [InlineData("dns_tcp.pcap", "tcp[tcpflags] & tcp-syn != 0")]
    [InlineData("dhcp-rfc4388.pcap", "arp")]
    [InlineData("dns_udp.pcap", "udp port 53 and src host 192.168.1.11")]
    public void SetFilter_KeepsTheFramesTcpdumpKeeps(string fileName, string filter)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, fileName);
        var tcpdump = Shell.Run("tcpdump", "-n", "-r", path, filter);
        Assert.True(tcpdump.ExitCode == 0, tcpdump.Output);
        int expected = tcpdump.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        int all = PcapFileReader.ReadAll(path).Count();

        using var reader = PcapFileReader.Open(path);
        reader.SetFilter(filter);
        int kept = 0;
        while (reader.TryReadNext(out _))
        {
            kept++;
        }

        Assert.Equal(expected, kept);
        Assert.InRange(kept, 1, all - 1);
    }

    [Fact]
    public void SetFilter_BadExpression_ThrowsBadFilterWithLibpcapsMessage()
    {
        using var reader = PcapFileReader.Open(Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap"));
        var error = Assert.Throws<PcapException>(() => reader.SetFilter("udp port banana"));
        Assert.Equal(PcapErrorKind.BadFilter, error.Kind);
        Assert.Contains("banana", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_PcapngCapture_ReportsEthernet()
    {
        using var reader = PcapFileReader.Open(Path.Combine(Repo.TcpdumpCaptures, "dhcp-option-108.pcapng"));

        Assert.Equal(LinkType.Ethernet, reader.LinkType);
        Assert.True(reader.TryReadNext(out var frame));
        Assert.False(frame.IsTruncated);
    }

    [Fact]
    public void TryReadNext_AfterLastFrame_ReturnsFalseAgain()
    {
        using var reader = PcapFileReader.Open(Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap"));
        while (reader.TryReadNext(out _))
        {
        }

        Assert.False(reader.TryReadNext(out var frame));
        Assert.True(frame.Data.IsEmpty);
    }

    [Fact]
    public void Open_MissingFile_ThrowsIoNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netlab-missing-{Guid.NewGuid():N}.pcap");

        var error = Assert.Throws<PcapException>(() => PcapFileReader.Open(path));

        Assert.Equal(PcapErrorKind.Io, error.Kind);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotACapture_ThrowsIo()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netlab-text-{Guid.NewGuid():N}.pcap");
        File.WriteAllText(path, "this is not a capture file, just text long enough for a header\n");
        try
        {
            var error = Assert.Throws<PcapException>(() => PcapFileReader.Open(path));

            Assert.Equal(PcapErrorKind.Io, error.Kind);
            Assert.Contains("format", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryReadNext_TruncatedRecord_ThrowsIo()
    {
        string source = Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap");
        byte[] bytes = File.ReadAllBytes(source);
        string path = Path.Combine(Path.GetTempPath(), $"netlab-cut-{Guid.NewGuid():N}.pcap");
        // Global header (24) + record header (16) + a few bytes of the first frame.
        File.WriteAllBytes(path, bytes[..(24 + 16 + 10)]);
        try
        {
            using var reader = PcapFileReader.Open(path);

            var error = Assert.Throws<PcapException>(() => reader.TryReadNext(out _));

            Assert.Equal(PcapErrorKind.Io, error.Kind);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
