using NetLab.Protocols.Addressing;
using NetLab.Protocols.Checksums;
using NetLab.Protocols.IP;
using NetLab.Protocols.Tests.Frames;

namespace NetLab.Protocols.Tests.IP;

public class IPv4HeaderTests
{
    private static byte[] SynIPv4 => SampleFrames.TcpSyn[14..];

    [Fact]
    public void TryRead_CapturedTcpSyn_ReadsEveryField()
    {
        Assert.True(IPv4Header.TryRead(SynIPv4, out var ip, out int bytesRead));

        Assert.Equal(20, bytesRead);
        Assert.Equal(4, ip.Version);
        Assert.Equal(20, ip.HeaderLength);
        Assert.Equal(0, ip.OptionsLength);
        Assert.Equal(0, ip.Dscp);
        Assert.Equal(0, ip.Ecn);
        Assert.Equal(60, ip.TotalLength);
        Assert.Equal(40, ip.PayloadLength);
        Assert.Equal(39720, ip.Identification);
        Assert.True(ip.DontFragment);
        Assert.False(ip.MoreFragments);
        Assert.False(ip.ReservedFlag);
        Assert.Equal(0, ip.FragmentOffset);
        Assert.False(ip.IsFragment);
        Assert.Equal(64, ip.Ttl);
        Assert.Equal(IpProtocol.Tcp, ip.Protocol);
        Assert.Equal(0x1376, ip.HeaderChecksum);
        Assert.True(ip.HeaderChecksumValid);
        Assert.Equal(IPv4Address.Parse("192.168.1.11"), ip.Source);
        Assert.Equal(IPv4Address.Parse("209.87.249.18"), ip.Destination);
    }

    [Fact]
    public void TryRead_CapturedIcmpWithTosC0_SplitsDscpAndEcn()
    {
        Assert.True(IPv4Header.TryRead(SampleFrames.IcmpPortUnreachable.AsSpan(14), out var ip, out _));

        Assert.Equal(48, ip.Dscp); // 0xc0 >> 2: class selector 6, what Linux uses for ICMP errors
        Assert.Equal(0, ip.Ecn);
        Assert.Equal(IpProtocol.Icmp, ip.Protocol);
        Assert.True(ip.HeaderChecksumValid);
    }

    [Fact]
    public void TryWrite_CapturedFields_ReproducesCapturedHeaderAndChecksum()
    {
        Assert.True(IPv4Header.TryRead(SynIPv4, out var captured, out _));
        var rewritten = new IPv4Header
        {
            TotalLength = captured.TotalLength,
            Identification = captured.Identification,
            DontFragment = true,
            Ttl = captured.Ttl,
            Protocol = captured.Protocol,
            Source = captured.Source,
            Destination = captured.Destination,
        };
        var buffer = new byte[20];

        Assert.True(rewritten.TryWrite(buffer, out int written));

        Assert.Equal(20, written);
        Assert.Equal(SynIPv4[..20], buffer);
    }

    [Fact]
    public void TryRead_CorruptedChecksum_ReadsButFlagsIt()
    {
        byte[] packet = SynIPv4;
        packet[11] ^= 0x01;

        Assert.True(IPv4Header.TryRead(packet, out var ip, out _));

        Assert.False(ip.HeaderChecksumValid);
        Assert.Equal(0x1377, ip.HeaderChecksum);
    }

    public static TheoryData<string, byte, byte, ushort, bool, bool, ushort, byte, IpProtocol> Headers => new()
    {
        { "", 0, 0, 20, false, false, 0, 64, IpProtocol.Udp },
        { "94040000", 46, 1, 1500, true, false, 0, 1, IpProtocol.Igmp },               // Router Alert (RFC 2113)
        { "01010100", 63, 3, 44, false, true, 0, 255, IpProtocol.Tcp },               // three NOPs and EOL
        { "0703040000000000", 10, 2, 68, false, true, 185, 128, IpProtocol.Icmp },     // Record Route with one slot, a fragment
        { "", 0, 0, 65535, false, false, 0x1FFF, 0, (IpProtocol)253 },                 // last possible fragment offset
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void TryWrite_ThenTryRead_RoundTrips(string optionsHex, byte dscp, byte ecn, ushort totalLength, bool dontFragment,
        bool moreFragments, ushort fragmentOffset, byte ttl, IpProtocol protocol)
    {
        byte[] options = SampleFrames.Hex(optionsHex);
        var header = new IPv4Header
        {
            Dscp = dscp,
            Ecn = ecn,
            TotalLength = totalLength,
            Identification = 0xBEEF,
            DontFragment = dontFragment,
            MoreFragments = moreFragments,
            FragmentOffset = fragmentOffset,
            Ttl = ttl,
            Protocol = protocol,
            Source = IPv4Address.Parse("192.168.10.1"),
            Destination = IPv4Address.Parse("224.0.0.22"),
        };
        var buffer = new byte[60];

        Assert.True(header.TryWrite(buffer, options, out int written));
        Assert.True(IPv4Header.TryRead(buffer.AsSpan(0, written), out var read, out int bytesRead));

        Assert.Equal(20 + options.Length, written);
        Assert.Equal(written, bytesRead);
        Assert.Equal(written, read.HeaderLength);
        Assert.Equal(options, buffer.AsSpan(IPv4Header.OptionsOffset, read.OptionsLength).ToArray());
        Assert.True(read.HeaderChecksumValid);
        Assert.True(InternetChecksum.IsValid(buffer.AsSpan(0, written)));
        Assert.Equal(dscp, read.Dscp);
        Assert.Equal(ecn, read.Ecn);
        Assert.Equal(totalLength, read.TotalLength);
        Assert.Equal(0xBEEF, read.Identification);
        Assert.Equal(dontFragment, read.DontFragment);
        Assert.Equal(moreFragments, read.MoreFragments);
        Assert.Equal(fragmentOffset, read.FragmentOffset);
        Assert.Equal(moreFragments || fragmentOffset != 0, read.IsFragment);
        Assert.Equal(ttl, read.Ttl);
        Assert.Equal(protocol, read.Protocol);
        Assert.Equal(header.Source, read.Source);
        Assert.Equal(header.Destination, read.Destination);
    }

    [Fact]
    public void FragmentOffsetBytes_CountsEightByteUnits()
    {
        var fragment = new IPv4Header { FragmentOffset = 185 };

        Assert.Equal(1480, fragment.FragmentOffsetBytes);
        Assert.True(fragment.IsFragment);
    }

    [Theory]
    [InlineData(0, "65")]   // version 6
    [InlineData(0, "44")]   // IHL 4: shorter than the fixed header
    [InlineData(0, "46")]   // IHL 6: options past the 20 bytes given
    [InlineData(2, "0013")] // Total Length 19, shorter than the header
    public void TryRead_InconsistentHeader_Fails(int offset, string replacement)
    {
        byte[] header = SynIPv4[..20];
        SampleFrames.Hex(replacement).CopyTo(header, offset);

        Assert.False(IPv4Header.TryRead(header, out _, out int bytesRead));
        Assert.Equal(0, bytesRead);
    }

    [Fact]
    public void TryRead_TruncatedHeader_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(SynIPv4, 20, static s => IPv4Header.TryRead(s, out _, out _));

    [Fact]
    public void TryRead_TruncatedOptions_Fails()
    {
        var buffer = new byte[24];
        new IPv4Header { TotalLength = 24, Ttl = 1 }.TryWrite(buffer, SampleFrames.Hex("94040000"), out _);

        Truncation.AssertEveryShorterPrefixFails(buffer, 24, static s => IPv4Header.TryRead(s, out _, out _));
    }

    [Theory]
    [InlineData(3, 60)]  // options not a multiple of four
    [InlineData(44, 80)] // more than 40 bytes of options
    [InlineData(4, 23)]  // buffer one byte short
    public void TryWrite_BadOptionsOrShortBuffer_Fails(int optionsLength, int bufferLength)
    {
        Assert.False(new IPv4Header().TryWrite(new byte[bufferLength], new byte[optionsLength], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void TryWrite_FieldOutOfRange_Fails()
    {
        var buffer = new byte[20];

        Assert.False(new IPv4Header { Dscp = 64 }.TryWrite(buffer, out _));
        Assert.False(new IPv4Header { Ecn = 4 }.TryWrite(buffer, out _));
        Assert.False(new IPv4Header { FragmentOffset = 0x2000 }.TryWrite(buffer, out _));
    }
}
