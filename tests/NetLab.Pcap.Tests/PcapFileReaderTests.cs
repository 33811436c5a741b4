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

    [Theory]
    [MemberData(nameof(TcpdumpCaptures))]
    public void RecordReader_TcpdumpCapture_SameFramesAsLibpcap(string fileName)
    {
        string path = Path.Combine(Repo.TcpdumpCaptures, fileName);

        AssertSameFrames(path);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void RecordReader_BigEndianOrNanosecondFile_SameFramesAsLibpcap(bool bigEndian, bool nanoseconds)
    {
        string original = Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap");
        string path = TempCapture(Rewrite(File.ReadAllBytes(original), bigEndian, nanoseconds));
        try
        {
            var expected = PcapFileReader.ReadAll(original).ToList();
            var rewritten = ReadUntilError(path, recordReader: true);
            Assert.Null(rewritten.Error);
            Assert.Equal(expected.Select(f => (f.Timestamp, f.OriginalLength)), rewritten.Frames.Select(f => (f.Timestamp, f.OriginalLength)));
            AssertSameFrames(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RecordReader_CaptureLengthOverTheMaximum_ThrowsIoAsLibpcap()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap"));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24 + 8), 300_000);
        string path = TempCapture(bytes);
        try
        {
            foreach (bool recordReader in new[] { true, false })
            {
                using var reader = PcapFileReader.Open(path, recordReader);
                var error = Assert.Throws<PcapException>(() => reader.TryReadNext(out _));
                Assert.Equal(PcapErrorKind.Io, error.Kind);
                Assert.Contains("invalid packet capture length 300000", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryReadNext_CutInsideARecordHeader_ThrowsIo()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap"));
        string path = TempCapture(bytes[..(24 + 7)]);
        try
        {
            using var reader = PcapFileReader.Open(path);
            var error = Assert.Throws<PcapException>(() => reader.TryReadNext(out _));
            Assert.Contains("truncated dump file; tried to read 16 header bytes, only got 7", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SetFilter_AfterTheFirstRead_Throws()
    {
        using var reader = PcapFileReader.Open(Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap"));
        Assert.True(reader.TryReadNext(out _));

        Assert.Throws<InvalidOperationException>(() => reader.SetFilter("udp"));
    }

    /// <summary>Reads a file through the record reader and through libpcap; every frame must match in time, length and bytes,
    /// and a damaged file must fail at the same frame in both.</summary>
    private static void AssertSameFrames(string path)
    {
        var fast = ReadUntilError(path, recordReader: true);
        var libpcap = ReadUntilError(path, recordReader: false);

        Assert.Equal(libpcap.Frames.Count, fast.Frames.Count);
        Assert.Equal(libpcap.Error is null, fast.Error is null);
        for (int i = 0; i < fast.Frames.Count; i++)
        {
            Assert.Equal(libpcap.Frames[i].Timestamp, fast.Frames[i].Timestamp);
            Assert.Equal(libpcap.Frames[i].OriginalLength, fast.Frames[i].OriginalLength);
            Assert.Equal(libpcap.Frames[i].Data, fast.Frames[i].Data);
        }
    }

    private static (List<(DateTimeOffset Timestamp, int OriginalLength, byte[] Data)> Frames, PcapException? Error) ReadUntilError(string path, bool recordReader)
    {
        var frames = new List<(DateTimeOffset, int, byte[])>();
        using var reader = PcapFileReader.Open(path, recordReader);
        try
        {
            while (reader.TryReadNext(out var frame))
            {
                frames.Add((frame.Timestamp, frame.OriginalLength, frame.Data.ToArray()));
            }
            return (frames, null);
        }
        catch (PcapException e)
        {
            return (frames, e);
        }
    }

    /// <summary>A little-endian microsecond pcap file rewritten big-endian and/or with nanosecond fractions.</summary>
    private static byte[] Rewrite(byte[] file, bool bigEndian, bool nanoseconds)
    {
        var output = (byte[])file.Clone();
        void Field(int at, int size, Func<uint, uint> change)
        {
            uint value = size == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) : System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at));
            value = change(value);
            if (size == 4 && bigEndian)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at), value);
            }
            else if (size == 4)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(at), value);
            }
            else if (bigEndian)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(at), (ushort)value);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at), (ushort)value);
            }
        }
        Field(0, 4, magic => nanoseconds ? 0xA1B23C4D : magic);
        Field(4, 2, v => v);
        Field(6, 2, v => v);
        Field(8, 4, v => v);
        Field(12, 4, v => v);
        Field(16, 4, v => v);
        Field(20, 4, v => v);
        for (int at = 24; at + 16 <= file.Length;)
        {
            uint captured = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8));
            Field(at, 4, v => v);
            Field(at + 4, 4, fraction => nanoseconds ? fraction * 1000 : fraction);
            Field(at + 8, 4, v => v);
            Field(at + 12, 4, v => v);
            at += 16 + (int)captured;
        }
        return output;
    }

    private static string TempCapture(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"netlab-rewritten-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
