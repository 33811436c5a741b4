using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Checksums;
using NetLab.Protocols.IP;
using NetLab.Protocols.Tests.Frames;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Tests.Transport;

public class TransportChecksumTests
{
    private static readonly IPv4Address SynSource = IPv4Address.Parse("192.168.1.11");
    private static readonly IPv4Address SynDestination = IPv4Address.Parse("209.87.249.18");

    [Fact]
    public void InternetChecksum_Rfc1071Example_SumsToDdf2()
    {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, so the checksum is its complement 220d.
        byte[] data = SampleFrames.Hex("0001f203f4f5f6f7");

        Assert.Equal(0x220d, InternetChecksum.Compute(data));
        Assert.Equal(0xddf2u, InternetChecksum.Accumulate(0, data) % 0xFFFF);
    }

    [Fact]
    public void ComputeIPv4_CapturedTcpSyn_MatchesCapturedChecksum()
    {
        byte[] segment = SampleFrames.TcpSyn[34..];
        segment[16] = 0;
        segment[17] = 0;

        Assert.Equal(0x0c41, TransportChecksum.ComputeIPv4(SynSource, SynDestination, IpProtocol.Tcp, segment));
    }

    [Theory]
    [MemberData(nameof(CapturedSegments))]
    public void VerifyIPv4_CapturedSegments_AreValidAndEveryBitFlipIsCaught(byte[] frame, IpProtocol protocol)
    {
        Assert.True(IPv4Header.TryRead(frame.AsSpan(14), out var ip, out int headerLength));
        byte[] segment = frame.AsSpan(14 + headerLength, ip.PayloadLength).ToArray();

        Assert.True(TransportChecksum.VerifyIPv4(ip.Source, ip.Destination, protocol, segment));
        for (int bit = 0; bit < segment.Length * 8; bit++)
        {
            segment[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(TransportChecksum.VerifyIPv4(ip.Source, ip.Destination, protocol, segment), $"flipping bit {bit} went unnoticed");
            segment[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        Assert.False(TransportChecksum.VerifyIPv4(ip.Destination, new IPv4Address(ip.Source.Value + 1), protocol, segment));
    }

    public static TheoryData<byte[], IpProtocol> CapturedSegments => new()
    {
        { SampleFrames.TcpSyn, IpProtocol.Tcp },
        { SampleFrames.TcpSynAck, IpProtocol.Tcp },
        { SampleFrames.DnsQueryUdp, IpProtocol.Udp },
    };

    [Fact]
    public void FillIPv4_CapturedDnsQuery_RestoresCapturedChecksum()
    {
        byte[] segment = SampleFrames.DnsQueryUdp[34..];
        segment[6] = 0x55;

        TransportChecksum.FillIPv4(SynSource, SynDestination, IpProtocol.Udp, segment);

        Assert.Equal(0x7824, BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(6)));
    }

    [Fact]
    public void VerifyIPv6_KernelIcmpV6Echo_IsValid()
    {
        byte[] message = SampleFrames.IcmpV6EchoRequest[54..];

        Assert.True(TransportChecksum.VerifyIPv6(IPv6Address.Loopback, IPv6Address.Loopback, IpProtocol.IPv6Icmp, message));
        message[2] = 0;
        message[3] = 0;
        Assert.Equal(0xdc12, TransportChecksum.ComputeIPv6(IPv6Address.Loopback, IPv6Address.Loopback, IpProtocol.IPv6Icmp, message));
    }

    [Fact]
    public void ComputeIPv6_TsharkCheckedUdp_MatchesAndVerifies()
    {
        var source = IPv6Address.Parse("2001:db8::1");
        var destination = IPv6Address.Parse("2001:db8::53");
        byte[] segment = SampleFrames.UdpV6[54..];

        Assert.True(TransportChecksum.VerifyIPv6(source, destination, IpProtocol.Udp, segment));
        Assert.False(TransportChecksum.VerifyIPv6(destination, new IPv6Address(source.Value + 1), IpProtocol.Udp, segment));
        TransportChecksum.FillIPv6(source, destination, IpProtocol.Udp, segment);
        Assert.Equal(SampleFrames.UdpV6[54..], segment);
    }

    [Fact]
    public void FillIPv6_Tcp_ProducesVerifiableSegment()
    {
        var source = IPv6Address.Parse("fe80::1");
        var destination = IPv6Address.Parse("fe80::2");
        var segment = new byte[44];
        new TcpHeader { SourcePort = 22, DestinationPort = 50000, Flags = TcpFlags.Syn, Mss = 1440, Window = 65535 }.TryWrite(segment, out _);

        TransportChecksum.FillIPv6(source, destination, IpProtocol.Tcp, segment);

        Assert.True(TransportChecksum.VerifyIPv6(source, destination, IpProtocol.Tcp, segment));
        Assert.False(TransportChecksum.VerifyIPv4(new IPv4Address(1), new IPv4Address(2), IpProtocol.Tcp, segment));
    }

    [Fact]
    public void UdpZeroChecksum_MeansNoneOverIPv4_AndIsInvalidOverIPv6()
    {
        byte[] segment = SampleFrames.DnsQueryUdp[34..];
        segment[6] = 0;
        segment[7] = 0;

        Assert.True(TransportChecksum.VerifyIPv4(SynSource, SynDestination, IpProtocol.Udp, segment));
        Assert.False(TransportChecksum.VerifyIPv6(IPv6Address.Loopback, IPv6Address.Loopback, IpProtocol.Udp, segment));
    }

    [Fact]
    public void ComputeIPv4_UdpSumOfZero_IsSentAsAllOnes()
    {
        // Choose the last payload word so that the checksum comes out as zero, which RFC 768 transmits as 0xFFFF.
        var segment = new byte[10];
        new UdpHeader { SourcePort = 68, DestinationPort = 67, TotalLength = 10 }.TryWrite(segment, out _);
        ushort withZeroWord = TransportChecksum.ComputeIPv4(IPv4Address.Any, IPv4Address.Broadcast, IpProtocol.Udp, segment);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(8), withZeroWord);

        ushort checksum = TransportChecksum.ComputeIPv4(IPv4Address.Any, IPv4Address.Broadcast, IpProtocol.Udp, segment);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(6), checksum);

        Assert.Equal(0xFFFF, checksum);
        Assert.True(TransportChecksum.VerifyIPv4(IPv4Address.Any, IPv4Address.Broadcast, IpProtocol.Udp, segment));
    }

    [Fact]
    public void FillIPv4_OtherProtocolOrShortSegment_IsACallerBug()
    {
        Assert.Throws<ArgumentException>(() => TransportChecksum.FillIPv4(SynSource, SynDestination, IpProtocol.Icmp, new byte[8]));
        Assert.Throws<ArgumentException>(() => TransportChecksum.FillIPv4(SynSource, SynDestination, IpProtocol.Tcp, new byte[19]));
    }
}
