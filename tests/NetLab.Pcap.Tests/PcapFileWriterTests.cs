using NetLab.Protocols.Addressing;
using NetLab.Testing;

namespace NetLab.Pcap.Tests;

public sealed class PcapFileWriterTests : IDisposable
{
    private static readonly MacAddress ClientMac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress ServerMac = MacAddress.Parse("02:00:00:00:00:02");
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"netlab-pcap-{Guid.NewGuid():N}.pcap");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Write_ThenRead_GivesBackTimestampsLengthsAndBytes()
    {
        var start = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560); // 123.456 ms
        var written = new List<(DateTimeOffset Timestamp, int OriginalLength, byte[] Data)>
        {
            (start, 0, TestFrames.DhcpDiscover(ClientMac, 0x01020304)),
            (start.AddSeconds(1.5), 0, TestFrames.Udp(ClientMac, ServerMac, "10.9.0.1", "10.9.0.2", 9999, "hello")),
            (start.AddDays(3), 1500, TestFrames.Udp(ServerMac, ClientMac, "10.9.0.2", "10.9.0.1", 53, "cut by the snaplen")),
        };
        using (var writer = PcapFileWriter.Create(_path))
        {
            foreach (var (timestamp, originalLength, data) in written)
            {
                writer.Write(timestamp, data, Math.Max(originalLength, data.Length));
            }
        }

        using var reader = PcapFileReader.Open(_path);
        Assert.Equal(LinkType.Ethernet, reader.LinkType);
        Assert.Equal(262144, reader.Snaplen);
        var read = PcapFileReader.ReadAll(_path).ToList();
        Assert.Equal(written.Count, read.Count);
        for (int i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i].Timestamp, read[i].Timestamp);
            Assert.Equal(Math.Max(written[i].OriginalLength, written[i].Data.Length), read[i].OriginalLength);
            Assert.Equal(written[i].Data, read[i].Data);
        }
    }

    [Fact]
    public void Write_SubMicrosecondTimestamp_IsTruncatedToMicroseconds()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddTicks(17_000_000_000_000_009); // ...0.0000009 s past a microsecond
        using (var writer = PcapFileWriter.Create(_path))
        {
            writer.Write(timestamp, TestFrames.DhcpDiscover(ClientMac, 1));
        }

        var frame = Assert.Single(PcapFileReader.ReadAll(_path));

        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(17_000_000_000_000_000), frame.Timestamp);
    }

    [Fact]
    public void Write_LongerThanSnaplen_KeepsSnaplenBytesAndTheWireLength()
    {
        byte[] frame = TestFrames.Udp(ClientMac, ServerMac, "10.9.0.1", "10.9.0.2", 9999, new string('x', 200));
        using (var writer = PcapFileWriter.Create(_path, LinkType.Ethernet, snaplen: 96))
        {
            writer.Write(DateTimeOffset.UtcNow, frame);
        }

        var read = Assert.Single(PcapFileReader.ReadAll(_path));

        Assert.Equal(frame.Length, read.OriginalLength);
        Assert.Equal(frame[..96], read.Data);
    }

    [ToolTheory("tshark")]
    [InlineData(LinkType.Raw, 14, "ip.dst == 10.9.0.2 && udp.dstport == 9999")]
    [InlineData(LinkType.Ethernet, 0, "eth.dst == 02:00:00:00:00:02 && udp.dstport == 9999")]
    public void Create_LinkType_IsWhatReadersSee(LinkType linkType, int skip, string displayFilter)
    {
        byte[] packet = TestFrames.Udp(ClientMac, ServerMac, "10.9.0.1", "10.9.0.2", 9999, "link type")[skip..];
        using (var writer = PcapFileWriter.Create(_path, linkType))
        {
            writer.Write(DateTimeOffset.UtcNow, packet);
        }

        using var reader = PcapFileReader.Open(_path);

        Assert.Equal(linkType, reader.LinkType);
        Assert.Equal(1, Tshark.Count(_path, displayFilter));
    }

    [Fact]
    public void Write_OriginalLengthShorterThanData_Throws()
    {
        using var writer = PcapFileWriter.Create(_path);

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(DateTimeOffset.UtcNow, new byte[60], 59));
    }

    [Fact]
    public void Create_InMissingDirectory_ThrowsIoNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netlab-no-dir-{Guid.NewGuid():N}", "out.pcap");

        var error = Assert.Throws<PcapException>(() => PcapFileWriter.Create(path));

        Assert.Equal(PcapErrorKind.Io, error.Kind);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flush_MakesFramesVisibleBeforeDispose()
    {
        using var writer = PcapFileWriter.Create(_path);
        writer.Write(DateTimeOffset.UtcNow, TestFrames.DhcpDiscover(ClientMac, 7));

        writer.Flush();

        Assert.Single(PcapFileReader.ReadAll(_path));
    }

    [ToolFact("tshark")]
    public void WrittenFile_OpensInTshark_WithSameFramesAndDecodesDhcp()
    {
        var timestamp = DateTimeOffset.UtcNow;
        byte[] discover = TestFrames.DhcpDiscover(ClientMac, 0xCAFEBABE);
        byte[] udp = TestFrames.Udp(ClientMac, ServerMac, "10.9.0.1", "10.9.0.2", 9999, "not dhcp");
        using (var writer = PcapFileWriter.Create(_path))
        {
            writer.Write(timestamp, discover);
            writer.Write(timestamp.AddMilliseconds(5), udp);
        }

        var frames = Tshark.Frames(_path);

        Assert.Equal(2, frames.Count);
        Assert.Equal(Tshark.Md5(discover), frames[0].Md5);
        Assert.Equal(Tshark.Md5(udp), frames[1].Md5);
        Assert.Equal(Tshark.TicksSinceEpoch(timestamp) / 10 * 10, frames[0].EpochTicks);
        Assert.Equal(1, Tshark.Count(_path, "dhcp.option.dhcp == 1 && dhcp.id == 0xcafebabe && dhcp.hw.mac_addr == 02:00:00:00:00:01"));
        Assert.Equal(2, Tshark.Count(_path, "udp.checksum.status == \"Good\" && ip.checksum.status == \"Good\"", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"));
    }
}
