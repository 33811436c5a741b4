using NetLab.Protocols.Tests.Frames;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Transport;

public class UdpHeaderTests
{
    private static byte[] DnsQuerySegment => SampleFrames.DnsQueryUdp[34..];

    [Fact]
    public void TryRead_CapturedDnsQuery_ReadsEveryField()
    {
        Assert.True(UdpHeader.TryRead(DnsQuerySegment, out var udp, out int bytesRead));

        Assert.Equal(8, bytesRead);
        Assert.Equal(43966, udp.SourcePort);
        Assert.Equal(53, udp.DestinationPort);
        Assert.Equal(64, udp.TotalLength);
        Assert.Equal(56, udp.PayloadLength);
        Assert.Equal(0x7824, udp.Checksum);
    }

    [Theory]
    [InlineData(68, 67, 8, 0)]
    [InlineData(0, 65535, 65535, 0xFFFF)]
    [InlineData(5353, 5353, 1000, 0x1234)]
    public void TryWrite_ThenTryRead_RoundTrips(ushort sourcePort, ushort destinationPort, ushort totalLength, ushort checksum)
    {
        var header = new UdpHeader { SourcePort = sourcePort, DestinationPort = destinationPort, TotalLength = totalLength, Checksum = checksum };
        var buffer = new byte[8];

        Assert.True(header.TryWrite(buffer, out int written));
        Assert.True(UdpHeader.TryRead(buffer, out var read, out _));

        Assert.Equal(8, written);
        Assert.Equal(sourcePort, read.SourcePort);
        Assert.Equal(destinationPort, read.DestinationPort);
        Assert.Equal(totalLength, read.TotalLength);
        Assert.Equal(checksum, read.Checksum);
    }

    [Fact]
    public void TryWrite_CapturedFields_ReproducesCapturedHeader()
    {
        var buffer = new byte[8];

        new UdpHeader { SourcePort = 43966, DestinationPort = 53, TotalLength = 64, Checksum = 0x7824 }.TryWrite(buffer, out _);

        Assert.Equal(DnsQuerySegment[..8], buffer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void TryRead_LengthFieldUnderEight_Fails(ushort lengthField)
    {
        byte[] segment = DnsQuerySegment;
        segment[4] = (byte)(lengthField >> 8);
        segment[5] = (byte)lengthField;

        Assert.False(UdpHeader.TryRead(segment, out _, out int bytesRead));
        Assert.Equal(0, bytesRead);
    }

    [Fact]
    public void TryRead_TruncatedHeader_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(DnsQuerySegment, 8, static s => UdpHeader.TryRead(s, out _, out _));

    [Fact]
    public void TryWrite_ShortBuffer_Fails() => Assert.False(new UdpHeader { TotalLength = 8 }.TryWrite(new byte[7], out _));
}
