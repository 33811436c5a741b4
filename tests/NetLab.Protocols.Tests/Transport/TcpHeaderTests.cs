using NetLab.Protocols.Tests.Frames;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Transport;

public class TcpHeaderTests
{
    private static byte[] SynSegment => SampleFrames.TcpSyn[34..];

    [Fact]
    public void TryRead_CapturedSyn_ReadsFieldsAndOptions()
    {
        Assert.True(TcpHeader.TryRead(SynSegment, out var tcp, out int bytesRead));

        Assert.Equal(40, bytesRead);
        Assert.Equal(33779, tcp.SourcePort);
        Assert.Equal(53, tcp.DestinationPort);
        Assert.Equal(603899916u, tcp.Sequence);
        Assert.Equal(0u, tcp.Acknowledgment);
        Assert.Equal(10, tcp.DataOffset);
        Assert.Equal(40, tcp.HeaderLength);
        Assert.Equal(TcpFlags.Syn, tcp.Flags);
        Assert.Equal(64240, tcp.Window);
        Assert.Equal(0x0c41, tcp.Checksum);
        Assert.Equal(0, tcp.UrgentPointer);
        // tcpdump: options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7]
        Assert.Equal((ushort)1460, tcp.Mss);
        Assert.True(tcp.SackPermitted);
        Assert.Equal(new TcpTimestamp(2044906138, 0), tcp.Timestamp);
        Assert.Equal((byte)7, tcp.WindowScale);
        Assert.Equal(0, tcp.SackBlocks.Count);
        Assert.True(tcp.OptionsValid);
    }

    [Fact]
    public void TryRead_CapturedSynAck_ReadsMssBeforeEndOfOptionList()
    {
        Assert.True(TcpHeader.TryRead(SampleFrames.TcpSynAck.AsSpan(34), out var tcp, out int bytesRead));

        Assert.Equal(24, bytesRead);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, tcp.Flags);
        Assert.True(tcp.HasFlag(TcpFlags.Ack));
        Assert.False(tcp.HasFlag(TcpFlags.Fin));
        Assert.Equal(2043824403u, tcp.Sequence);
        Assert.Equal(603899917u, tcp.Acknowledgment);
        Assert.Equal((ushort)1460, tcp.Mss);
        Assert.False(tcp.SackPermitted);
        Assert.Null(tcp.Timestamp);
        Assert.Null(tcp.WindowScale);
        Assert.True(tcp.OptionsValid);
    }

    [Fact]
    public void TcpOptionReader_CapturedSyn_YieldsEachOptionAndSkipsNop()
    {
        var reader = new TcpOptionReader(SynSegment.AsSpan(20, 20));
        var kinds = new List<TcpOptionKind>();
        var lengths = new List<int>();

        while (reader.TryReadNext(out var kind, out var data))
        {
            kinds.Add(kind);
            lengths.Add(data.Length);
        }

        Assert.Equal([TcpOptionKind.MaximumSegmentSize, TcpOptionKind.SackPermitted, TcpOptionKind.Timestamps, TcpOptionKind.WindowScale], kinds);
        Assert.Equal([2, 0, 8, 1], lengths);
        Assert.False(reader.IsMalformed);
    }

    public static TheoryData<ushort?, byte?, bool, int, bool, TcpFlags> OptionSets => new()
    {
        { null, null, false, 0, false, TcpFlags.Ack },
        { 1460, 7, true, 0, true, TcpFlags.Syn },
        { 536, null, false, 0, false, TcpFlags.Syn | TcpFlags.Ece | TcpFlags.Cwr },
        { null, null, false, 3, true, TcpFlags.Ack | TcpFlags.Psh },
        { null, null, false, 4, false, TcpFlags.Ack },
        { 65535, 14, true, 1, false, TcpFlags.Fin | TcpFlags.Syn | TcpFlags.Rst | TcpFlags.Psh | TcpFlags.Ack | TcpFlags.Urg | TcpFlags.Ece | TcpFlags.Cwr | TcpFlags.Ae },
    };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void TryWrite_ThenTryRead_RoundTrips(ushort? mss, byte? windowScale, bool sackPermitted, int sackBlockCount, bool timestamps, TcpFlags flags)
    {
        var blocks = Enumerable.Range(0, sackBlockCount).Select(i => new TcpSackBlock((uint)(1000 * i) + 1, (uint)(1000 * i) + 500)).ToArray();
        var header = new TcpHeader
        {
            SourcePort = 40000,
            DestinationPort = 21,
            Sequence = 0xFFFF_FFFF,
            Acknowledgment = 0x8000_0001,
            Flags = flags,
            Window = 29200,
            Checksum = 0xABCD,
            UrgentPointer = 3,
            Mss = mss,
            WindowScale = windowScale,
            SackPermitted = sackPermitted,
            SackBlocks = new TcpSackBlocks(blocks),
            Timestamp = timestamps ? new TcpTimestamp(123456789, 987654321) : null,
        };
        var buffer = new byte[60];

        Assert.True(header.TryWrite(buffer, out int written));
        Assert.True(TcpHeader.TryRead(buffer.AsSpan(0, written), out var read, out int bytesRead));

        Assert.Equal(header.GetWrittenLength(), written);
        Assert.Equal(0, written % 4);
        Assert.Equal(written, bytesRead);
        Assert.Equal(header.SourcePort, read.SourcePort);
        Assert.Equal(header.DestinationPort, read.DestinationPort);
        Assert.Equal(header.Sequence, read.Sequence);
        Assert.Equal(header.Acknowledgment, read.Acknowledgment);
        Assert.Equal(flags, read.Flags);
        Assert.Equal(header.Window, read.Window);
        Assert.Equal(header.Checksum, read.Checksum);
        Assert.Equal(header.UrgentPointer, read.UrgentPointer);
        Assert.Equal(mss, read.Mss);
        Assert.Equal(windowScale, read.WindowScale);
        Assert.Equal(sackPermitted, read.SackPermitted);
        Assert.Equal(header.SackBlocks, read.SackBlocks);
        Assert.Equal(header.Timestamp, read.Timestamp);
        Assert.True(read.OptionsValid);
    }

    [Fact]
    public void TryWrite_OptionsOver40Bytes_Fails()
    {
        var blocks = new TcpSackBlock[] { new(1, 2), new(3, 4), new(5, 6), new(7, 8) };
        var header = new TcpHeader { Timestamp = new TcpTimestamp(1, 2), SackBlocks = new TcpSackBlocks(blocks) };

        Assert.Equal(64, header.GetWrittenLength());
        Assert.False(header.TryWrite(new byte[64], out int written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData("0201")]           // a length under two
    [InlineData("1e0a01020304")]   // an option running past the options area
    [InlineData("020305")]         // MSS with length 3
    [InlineData("0302")]           // window scale without its shift byte
    [InlineData("050c00000001000000020000")] // SACK carrying one and a quarter blocks
    [InlineData("08060000")]       // timestamps with length 6
    public void TryRead_MalformedOption_KeepsHeaderAndFlagsOptions(string optionsHex)
    {
        byte[] segment = WithOptions(optionsHex);

        Assert.True(TcpHeader.TryRead(segment, out var tcp, out int bytesRead));

        Assert.Equal(segment.Length, bytesRead);
        Assert.False(tcp.OptionsValid);
        Assert.Equal(TcpFlags.Syn, tcp.Flags);
    }

    [Fact]
    public void TryRead_UnknownOptions_AreSkippedAndRemainReadable()
    {
        // Multipath TCP (30, length 4), then TCP Fast Open cookie request (34, length 2), then MSS.
        byte[] segment = WithOptions("1e04 0081 2202 0204 0218");

        Assert.True(TcpHeader.TryRead(segment, out var tcp, out _));
        var reader = new TcpOptionReader(segment.AsSpan(20));
        Assert.True(reader.TryReadNext(out var first, out var firstData));

        Assert.True(tcp.OptionsValid);
        Assert.Equal((ushort)536, tcp.Mss);
        Assert.Equal(TcpOptionKind.Multipath, first);
        Assert.Equal([0x00, 0x81], firstData.ToArray());
    }

    [Theory]
    [InlineData(0x40)] // data offset 4 words: shorter than the fixed header
    [InlineData(0xF0)] // data offset 15 words: 60 bytes, more than given
    public void TryRead_BadDataOffset_Fails(byte offsetByte)
    {
        byte[] segment = SynSegment;
        segment[12] = offsetByte;

        Assert.False(TcpHeader.TryRead(segment, out _, out int bytesRead));
        Assert.Equal(0, bytesRead);
    }

    [Fact]
    public void TryRead_TruncatedHeader_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(SynSegment, 40, static s => TcpHeader.TryRead(s, out _, out _));

    [Fact]
    public void SackBlocks_MoreThanFour_IsACallerBug() =>
        Assert.Throws<ArgumentException>(() => new TcpSackBlocks(new TcpSackBlock[5]));

    /// <summary>A SYN header from port 1 to 2 with the given options, padded with End of Option List.</summary>
    private static byte[] WithOptions(string optionsHex)
    {
        byte[] options = SampleFrames.Hex(optionsHex);
        int headerLength = 20 + ((options.Length + 3) & ~3);
        var segment = new byte[headerLength];
        new TcpHeader { SourcePort = 1, DestinationPort = 2, Flags = TcpFlags.Syn }.TryWrite(segment, out _);
        segment[12] = (byte)((headerLength / 4) << 4);
        options.CopyTo(segment, 20);
        return segment;
    }
}
