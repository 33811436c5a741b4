using System.Text;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.IP;
using NetLab.Protocols.Tests.Frames;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Transport;

public class IcmpV4MessageTests
{
    [Fact]
    public void TryRead_CapturedEchoRequest_ReadsFieldsAndVerifiesKernelChecksum()
    {
        Assert.True(IcmpV4Message.TryRead(SampleFrames.IcmpEchoRequest.AsSpan(34), out var icmp, out int bytesRead));

        Assert.Equal(8, bytesRead);
        Assert.Equal(IcmpV4Type.EchoRequest, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.Equal(0xf505, icmp.Checksum);
        Assert.True(icmp.ChecksumValid);
        Assert.Equal(1047, icmp.Identifier);
        Assert.Equal(7, icmp.Sequence);
        Assert.True(icmp.IsEcho);
        Assert.False(icmp.IsError);
        Assert.Null(icmp.InnerPacketOffset);
    }

    [Theory]
    [InlineData(IcmpV4Type.EchoRequest, 0xf505)]
    [InlineData(IcmpV4Type.EchoReply, 0xfd05)]
    public void TryWrite_CapturedEchoFields_ReproducesKernelBytes(IcmpV4Type type, int kernelChecksum)
    {
        byte[] captured = type == IcmpV4Type.EchoRequest ? SampleFrames.IcmpEchoRequest : SampleFrames.IcmpEchoReply;
        var echo = new IcmpV4Message { Type = type, Identifier = 1047, Sequence = 7 };
        var buffer = new byte[24];

        Assert.True(echo.TryWrite(buffer, Encoding.ASCII.GetBytes("NetLab echo test"), out int written));

        Assert.Equal(24, written);
        Assert.Equal(captured[34..], buffer);
        Assert.Equal(kernelChecksum, (buffer[2] << 8) | buffer[3]);
    }

    [Fact]
    public void TryRead_CapturedPortUnreachable_ExposesQuotedDatagram()
    {
        var message = SampleFrames.IcmpPortUnreachable.AsSpan(34);

        Assert.True(IcmpV4Message.TryRead(message, out var icmp, out _));
        int inner = Assert.NotNull(icmp.InnerPacketOffset);
        Assert.True(IPv4Header.TryRead(message[inner..], out var quoted, out int quotedLength));
        Assert.True(UdpHeader.TryRead(message[(inner + quotedLength)..], out var quotedUdp, out _));

        Assert.Equal(IcmpV4Type.DestinationUnreachable, icmp.Type);
        Assert.Equal(IcmpV4UnreachableCode.PortUnreachable, (IcmpV4UnreachableCode)icmp.Code);
        Assert.Equal(0xa0b0, icmp.Checksum);
        Assert.True(icmp.ChecksumValid);
        Assert.True(icmp.IsError);
        Assert.Equal(IPv4Address.Loopback, quoted.Source);
        Assert.Equal(8000, quoted.Identification);
        Assert.Equal(IpProtocol.Udp, quoted.Protocol);
        Assert.Equal(60335, quotedUdp.SourcePort);
        Assert.Equal(9, quotedUdp.DestinationPort);
    }

    [Fact]
    public void TryWrite_TimeExceeded_QuotesHeaderAndRoundTrips()
    {
        // RFC 792: the internet header plus the first 64 bits of the original datagram.
        byte[] quoted = SampleFrames.TcpSyn[14..42];
        var timeExceeded = new IcmpV4Message { Type = IcmpV4Type.TimeExceeded, Code = (byte)IcmpV4TimeExceededCode.TtlExceededInTransit };
        var buffer = new byte[8 + quoted.Length];

        Assert.True(timeExceeded.TryWrite(buffer, quoted, out int written));
        Assert.True(IcmpV4Message.TryRead(buffer, out var read, out _));
        Assert.True(IPv4Header.TryRead(buffer.AsSpan(8), out var inner, out _));

        Assert.Equal(36, written);
        Assert.Equal(IcmpV4Type.TimeExceeded, read.Type);
        Assert.Equal(0, read.Code);
        Assert.Equal(0u, read.RestOfHeader);
        Assert.True(read.ChecksumValid);
        Assert.Equal(8, read.InnerPacketOffset);
        Assert.Equal(IPv4Address.Parse("209.87.249.18"), inner.Destination);
    }

    [Fact]
    public void TypeSpecificFields_ComeFromTheSecondWord()
    {
        var fragmentationNeeded = new IcmpV4Message { Type = IcmpV4Type.DestinationUnreachable, Code = 4, RestOfHeader = 0x0000_05DC };
        var parameterProblem = new IcmpV4Message { Type = IcmpV4Type.ParameterProblem, RestOfHeader = 0x1400_0000 };
        var redirect = new IcmpV4Message { Type = IcmpV4Type.Redirect, RestOfHeader = 0xC0A8_0A01 };

        Assert.Equal(1500, fragmentationNeeded.NextHopMtu);
        Assert.Equal(20, parameterProblem.Pointer);
        Assert.Equal(IPv4Address.Parse("192.168.10.1"), redirect.Gateway);
        Assert.All(new[] { fragmentationNeeded, parameterProblem, redirect }, m => Assert.Equal(8, m.InnerPacketOffset));
    }

    [Fact]
    public void TryRead_CorruptedPayload_FlagsChecksum()
    {
        byte[] message = SampleFrames.IcmpEchoRequest[34..];
        message[^1] ^= 0x20;

        Assert.True(IcmpV4Message.TryRead(message, out var icmp, out _));

        Assert.False(icmp.ChecksumValid);
    }

    [Fact]
    public void TryRead_TruncatedHeader_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(SampleFrames.IcmpEchoRequest[34..], 8, static s => IcmpV4Message.TryRead(s, out _, out _));

    [Fact]
    public void TryWrite_ShortBuffer_Fails() =>
        Assert.False(new IcmpV4Message { Type = IcmpV4Type.EchoRequest }.TryWrite(new byte[11], new byte[4], out _));
}
